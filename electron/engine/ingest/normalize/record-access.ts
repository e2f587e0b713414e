/**
 * Safe readers over input-shaped records. Every lookup uses own properties only, so keys such as
 * `__proto__` or `constructor` in hostile logs resolve to data (or nothing), never to prototypes.
 */
import { parseTimestamp } from '../../../../shared/lib/parse-time.ts';
import { RecordError } from '../types.ts';
import type { JsonObject } from '../types.ts';

/** Paths longer than this are not followed: a guard against pathological mapping strings. */
const MAX_PATH_SEGMENTS = 16;
/** JSON strings inside JSON larger than this are left as strings. */
const MAX_EMBEDDED_JSON_CHARS = 1_000_000;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ownValue(container: unknown, key: string): unknown {
  if (Array.isArray(container)) {
    const index = Number(key);
    return Number.isInteger(index) && index >= 0 && String(index) === key ? container[index] : undefined;
  }
  if (isObject(container) && Object.hasOwn(container, key)) return container[key];
  return undefined;
}

/**
 * Value at a dotted path (`userIdentity.sessionContext.sessionIssuer.userName`, `target.0.id`).
 * A key that itself contains dots (`network.client.ip` stored flat) is found too: at each level
 * the longest literal key wins.
 */
export function getPath(record: unknown, path: string): unknown {
  const segments = splitPath(path);
  if (segments.length > MAX_PATH_SEGMENTS) return undefined;
  // Nested objects are the common case and cost one lookup per segment; flat dotted keys are the
  // exception, searched for only when the plain walk finds nothing.
  let node: unknown = record;
  for (const segment of segments) {
    node = ownValue(node, segment);
    if (node === undefined) break;
  }
  if (node !== undefined || segments.length === 1) return node;
  return walk(record, segments, 0);
}

const PATH_CACHE = new Map<string, readonly string[]>();

/** Normalizers ask for the same few dozen paths for every record: split each once. */
function splitPath(path: string): readonly string[] {
  let segments = PATH_CACHE.get(path);
  if (!segments) {
    segments = path.split('.');
    if (PATH_CACHE.size < 10_000) PATH_CACHE.set(path, segments);
  }
  return segments;
}

function walk(node: unknown, segments: readonly string[], from: number): unknown {
  for (let to = segments.length; to > from; to--) {
    const value = ownValue(node, segments.slice(from, to).join('.'));
    if (value === undefined) continue;
    if (to === segments.length) return value;
    const deeper = walk(value, segments, to);
    if (deeper !== undefined) return deeper;
  }
  return undefined;
}

/** A value as a non-empty string: strings as-is, finite numbers and booleans stringified. */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The first non-empty string found at any of the paths. */
export function getString(record: unknown, ...paths: string[]): string | undefined {
  for (const path of paths) {
    const value = asString(getPath(record, path));
    if (value !== undefined) return value;
  }
  return undefined;
}

export function getObject(record: unknown, path: string): JsonObject | undefined {
  const value = getPath(record, path);
  return isObject(value) ? value : undefined;
}

export function getArray(record: unknown, path: string): unknown[] {
  const value = getPath(record, path);
  return Array.isArray(value) ? value : [];
}

/** Parse a JSON document embedded in a string field; anything unparsable is undefined. */
export function parseEmbeddedJson(value: unknown): unknown {
  if (typeof value !== 'string' || value.length > MAX_EMBEDDED_JSON_CHARS) return undefined;
  const text = value.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A field that may hold either an object or a JSON string of one (Log Analytics exports). */
export function objectOrJson(value: unknown): unknown {
  return typeof value === 'string' ? parseEmbeddedJson(value) : value;
}

export interface RecordTime {
  time: number;
  timeOriginal: string;
}

/**
 * The event time from the first of `paths` holding a parsable timestamp. Throws RecordError
 * naming the paths tried when none does.
 */
export function requireTime(record: unknown, paths: readonly string[], now?: number): RecordTime {
  for (const path of paths) {
    const raw = getPath(record, path);
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    const parsed = parseTimestamp(raw, now === undefined ? {} : { now });
    if (parsed) return { time: parsed.time, timeOriginal: String(raw) };
  }
  throw new RecordError(`no usable timestamp (tried ${paths.join(', ')})`);
}

/** Strip undefined members so normalized objects stay minimal and compare cleanly. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (value[key] !== undefined) out[key] = value[key];
  }
  return out as T;
}
