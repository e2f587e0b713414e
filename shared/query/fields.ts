/**
 * The catalogue of normalized, queryable event fields: the only identifiers a query compiler may
 * put into SQL text. Anything not in here is a raw (vendor) field path, queried through JSON.
 */

/** How a field's values compare: `time` is integer epoch µs, everything else is text. */
export type FieldKind = 'text' | 'time';

export interface FieldDef {
  /** Canonical name used in filter trees and the search box, e.g. `actor.email`. */
  readonly name: string;
  readonly label: string;
  /** SQLite columns of table `events`; a predicate matches when it holds for ANY of them. */
  readonly columns: readonly string[];
  readonly kind: FieldKind;
  /** Worth offering "top values" for (few distinct values, or the usual pivot fields). */
  readonly facet: boolean;
  /** Other names accepted in the search box (matched case-insensitively). */
  readonly aliases: readonly string[];
}

function field(
  name: string,
  label: string,
  columns: readonly string[],
  facet: boolean,
  aliases: readonly string[] = [],
  kind: FieldKind = 'text',
): FieldDef {
  return { name, label, columns, kind, facet, aliases };
}

export const FIELDS: readonly FieldDef[] = [
  field('id', 'Event ID', ['event_id'], false, ['event_id', 'eventid']),
  field('time', 'Time', ['time'], false, ['timestamp', '@timestamp'], 'time'),
  field('source', 'Source', ['source'], true),
  field('action', 'Action', ['action'], true, ['event', 'event.action']),
  field('category', 'Category', ['category'], true, ['event.category']),
  field('outcome', 'Outcome', ['outcome'], true, ['result', 'event.outcome']),
  field('actor', 'Actor', ['actor_id', 'actor_name', 'actor_email'], true, ['user']),
  field('actor.id', 'Actor ID', ['actor_id'], true, ['actor_id', 'user.id']),
  field('actor.name', 'Actor name', ['actor_name'], true, ['actor_name', 'user.name', 'username']),
  field('actor.email', 'Actor email', ['actor_email'], true, ['actor_email', 'user.email', 'email']),
  field('actor.type', 'Actor type', ['actor_type'], true, ['actor_type', 'user.type']),
  field('target', 'Target', ['target_id', 'target_name'], true, ['resource']),
  field('target.type', 'Target type', ['target_type'], true, ['target_type', 'resource.type']),
  field('target.id', 'Target ID', ['target_id'], true, ['target_id', 'resource.id']),
  field('target.name', 'Target name', ['target_name'], true, ['target_name', 'resource.name']),
  field('ip', 'IP address', ['ip'], true, ['src_ip', 'source_ip', 'srcip', 'client_ip', 'source.ip']),
  field('userAgent', 'User agent', ['user_agent'], true, ['user_agent', 'ua']),
  field('sessionId', 'Session ID', ['session_id'], false, ['session_id']),
  field('requestId', 'Request ID', ['request_id'], false, ['request_id']),
  field('severity', 'Severity', ['severity'], true, ['level']),
  field('message', 'Message', ['message'], false, ['msg']),
];

const BY_LOWER_NAME: ReadonlyMap<string, FieldDef> = (() => {
  const map = new Map<string, FieldDef>();
  for (const def of FIELDS) {
    map.set(def.name.toLowerCase(), def);
    for (const alias of def.aliases) map.set(alias.toLowerCase(), def);
  }
  return map;
})();

/**
 * The normalized field a name refers to (canonical name or alias, case-insensitive), or
 * `undefined` when the name is a raw field path.
 */
export function resolveField(name: string): FieldDef | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

const RAW_PATH = /^[A-Za-z_@][\w@.-]*$/;
const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Splits a raw dotted path (`userIdentity.arn`) into segments, or explains why it is not one.
 * Prototype-related segment names are refused: they are never meaningful and a classic attack.
 */
export function parseRawPath(
  path: string,
): { ok: true; segments: string[] } | { ok: false; message: string } {
  if (!RAW_PATH.test(path)) {
    return { ok: false, message: `\`${path}\` is not a valid field name (letters, digits, _ @ . - only)` };
  }
  const segments = path.split('.');
  for (const segment of segments) {
    if (segment === '') return { ok: false, message: `field \`${path}\` has an empty path segment` };
    if (FORBIDDEN_SEGMENTS.has(segment)) {
      return { ok: false, message: `field path segment \`${segment}\` is not allowed` };
    }
  }
  return { ok: true, segments };
}

/** Loose syntactic check for `addr/prefix`; the SQL function does the real parsing. */
export function looksLikeCidr(value: string): boolean {
  return (
    /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(value) || /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\/\d{1,3}$/.test(value)
  );
}

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses a time bound typed by an analyst into epoch microseconds: an ISO 8601 date/date-time
 * (zone-less means UTC) or an epoch number whose unit is inferred from its magnitude
 * (s ≈ 1e9, ms ≈ 1e12, µs ≈ 1e15, ns ≈ 1e18). `undefined` when it is neither.
 */
export function parseTimeValue(text: string): number | undefined {
  const s = text.trim();
  if (/^-?\d{1,20}$/.test(s)) return epochToMicros(BigInt(s));
  if (/^-?\d{1,20}\.\d{1,9}$/.test(s)) {
    const n = Number(s);
    return Math.abs(n) < 1e11 ? Math.round(n * 1e6) : undefined;
  }
  const m = ISO_TIME.exec(s);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((p) =>
    Number(p ?? 0),
  ) as [number, number, number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const valid =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  if (!valid) return undefined;
  const fraction = Number((m[7] ?? '').padEnd(9, '0').slice(0, 6));
  return date.getTime() * 1000 + fraction - zoneOffsetMinutes(m[8]) * 60_000_000;
}

function epochToMicros(n: bigint): number {
  const abs = n < 0n ? -n : n;
  if (abs < 100_000_000_000n) return Number(n * 1_000_000n);
  if (abs < 100_000_000_000_000n) return Number(n * 1000n);
  if (abs < 100_000_000_000_000_000n) return Number(n);
  return Number(n / 1000n);
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return zone.startsWith('-') ? -minutes : minutes;
}

/** ISO 8601 UTC with microseconds; `parseTimeValue` reads it back exactly. */
export function formatTimeValue(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const sub = micros - ms * 1000;
  const iso = new Date(ms).toISOString();
  if (sub !== 0) return iso.replace('Z', `${String(sub).padStart(3, '0')}Z`);
  return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso;
}
