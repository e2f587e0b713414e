import { activityKind } from '../../../shared/lib/activity-kind.ts';
import type BetterSqlite3 from 'better-sqlite3';

/** An address as 16-bit groups: 2 groups for IPv4, 8 for IPv6. */
interface ParsedIp {
  v4: boolean;
  groups: number[];
}
interface ParsedCidr {
  v4: boolean;
  groups: number[];
  prefix: number;
}

/** Dotted quad; each part is decimal even with leading zeros (`08.1.250.216` is 8.1.250.216). */
function parseIpv4Groups(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  const [a, b, c, d] = bytes as [number, number, number, number];
  return [(a << 8) | b, (c << 8) | d];
}

function parseHexGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] as string;
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4Groups(part);
      if (v4 === undefined) return undefined;
      groups.push(...v4);
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

function parseIpv6Groups(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseHexGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseHexGroups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/**
 * Parses an IPv4 or IPv6 address as logs write them: tolerates surrounding space, `[v6]`
 * brackets, a `%zone`, a `:port` after IPv4 and leading zeros. IPv4-mapped IPv6 becomes IPv4.
 */
export function parseIp(input: string): ParsedIp | undefined {
  let text = input.trim();
  if (text.length > 64) return undefined;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(text);
  if (v4WithPort !== null) text = v4WithPort[1] as string;
  if (text.startsWith('[')) text = text.replace(/^\[([^\]]*)\](?::\d{1,5})?$/, '$1');
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!text.includes(':')) {
    const groups = parseIpv4Groups(text);
    return groups === undefined ? undefined : { v4: true, groups };
  }
  const groups = parseIpv6Groups(text);
  if (groups === undefined) return undefined;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  return mapped ? { v4: true, groups: groups.slice(6) } : { v4: false, groups };
}

/** Parses `addr/prefix` (a bare address is a single-host range); host bits are ignored. */
export function parseCidr(input: string): ParsedCidr | undefined {
  const text = input.trim();
  const slash = text.indexOf('/');
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  const bits = address.groups.length * 16;
  const prefixText = slash < 0 ? String(bits) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  // A mapped literal (::ffff:a.b.c.d/n) counts its prefix in IPv6 bits.
  const mappedV6 = address.v4 && text.includes(':');
  const effective = mappedV6 ? prefix - 96 : prefix;
  if (effective < 0 || effective > bits) return undefined;
  return { v4: address.v4, groups: address.groups, prefix: effective };
}

function inRange(ip: ParsedIp, cidr: ParsedCidr): boolean {
  if (ip.v4 !== cidr.v4) return false;
  let remaining = cidr.prefix;
  for (let i = 0; i < cidr.groups.length && remaining > 0; i += 1) {
    const take = Math.min(16, remaining);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if (((ip.groups[i] ?? 0) & mask) !== ((cidr.groups[i] ?? 0) & mask)) return false;
    remaining -= take;
  }
  return true;
}

// The same CIDR is tested against every row of a scan: parse it once.
const cidrCache = new Map<string, ParsedCidr | null>();

function cachedCidr(cidr: string): ParsedCidr | undefined {
  let parsed = cidrCache.get(cidr);
  if (parsed === undefined) {
    parsed = parseCidr(cidr) ?? null;
    if (cidrCache.size > 256) cidrCache.clear();
    cidrCache.set(cidr, parsed);
  }
  return parsed ?? undefined;
}

/** 1 when `ip` is an address inside `cidr`, else 0 (also for anything unparseable or NULL). */
export function ipInCidr(ip: string | null, cidr: string): 0 | 1 {
  if (typeof ip !== 'string' || typeof cidr !== 'string') return 0;
  const range = cachedCidr(cidr);
  const address = range === undefined ? undefined : parseIp(ip);
  return range !== undefined && address !== undefined && inRange(address, range) ? 1 : 0;
}

/**
 * Registers the SQL functions queries rely on: `ip_in_cidr(ip, cidr)`, and
 * `activity_kind(action, category, outcome)` for activity summaries.
 */
export function registerSqlFunctions(db: BetterSqlite3.Database): void {
  db.function(
    'activity_kind',
    { deterministic: true },
    (action: unknown, category: unknown, outcome: unknown) =>
      activityKind(String(action ?? ''), String(category ?? ''), String(outcome ?? '')),
  );
  db.function('ip_in_cidr', { deterministic: true }, (ip: unknown, cidr: unknown) =>
    typeof ip === 'string' && typeof cidr === 'string' ? ipInCidr(ip, cidr) : 0,
  );
}
