import { COLON, CR, LBRACE, LBRACKET, LF, QUOTE, RBRACE, isJsonWhitespace } from './bytes.ts';
import type { ContainerSpec } from './container-types.ts';
import { ValueScanner } from './json-value-scanner.ts';

/** Keys that hold the records of well-known wrapper documents (CloudTrail, Azure, Graph, …). */
const WRAPPER_KEYS = [
  'Records',
  'records',
  'value',
  'items',
  'logs',
  'entries',
  'results',
  'events',
  'data',
  'hits',
];
/** A single-line object is read as a wrapper only under one of these unambiguous keys. */
const SINGLE_LINE_WRAPPER_KEYS = ['Records', 'records', 'value', 'items', 'logs', 'entries'];

/**
 * Decide between NDJSON, a wrapper object and pretty-printed objects for a head whose first
 * significant byte is `{`.
 */
export function sniffJsonObject(head: Buffer, start: number): ContainerSpec | null {
  const lineEnd = nextTerminator(head, start);
  const firstLine = parseObject(head.subarray(start, lineEnd === -1 ? head.length : lineEnd));
  if (firstLine !== undefined) {
    const nextLine = lineEnd === -1 ? -1 : firstSignificant(head, lineEnd);
    if (nextLine !== -1 && head[nextLine] === LBRACE) return { kind: 'ndjson' };
    const key = SINGLE_LINE_WRAPPER_KEYS.find(
      (k) => Object.hasOwn(firstLine, k) && isArrayOfObjects(firstLine[k]),
    );
    return key === undefined ? { kind: 'ndjson' } : { kind: 'json-wrapper', wrapperKey: key };
  }
  const candidates = arrayOfObjectKeys(head, start);
  const known = WRAPPER_KEYS.find((k) => candidates.includes(k));
  if (lineEnd === -1) {
    // One line longer than the head: a minified wrapper (CloudTrail's S3 objects) or one huge
    // NDJSON record. A wrapper shows by an unambiguous key, or records under its first key.
    const first = candidates[0];
    const key =
      SINGLE_LINE_WRAPPER_KEYS.find((k) => candidates.includes(k)) ??
      (first !== undefined && first === firstKey(head, start) ? first : undefined);
    return key === undefined ? { kind: 'ndjson' } : { kind: 'json-wrapper', wrapperKey: key };
  }
  const whole = completeObject(head, start);
  if (whole === undefined) {
    // A pretty-printed document too big for the head: big documents are wrappers.
    const key = known ?? candidates[0];
    return key === undefined ? null : { kind: 'json-wrapper', wrapperKey: key };
  }
  if (known !== undefined) return { kind: 'json-wrapper', wrapperKey: known };
  // A whole object in the head is a pretty-printed record, unless one array of objects makes up
  // most of it, as the records do in an unfamiliar wrapper. An Okta event's `target` does not.
  const bulk = candidates.find((k) => JSON.stringify(whole.value[k]).length * 2 > whole.length);
  return bulk === undefined ? { kind: 'json-objects' } : { kind: 'json-wrapper', wrapperKey: bulk };
}

/** The object at `start` when it ends inside the head, parsed, with its length in bytes. */
function completeObject(
  head: Buffer,
  start: number,
): { value: Record<string, unknown>; length: number } | undefined {
  const scanner = new ValueScanner();
  scanner.begin(LBRACE);
  const end = scanner.scan(head, start + 1);
  if (end === -1) return undefined;
  const value = parseObject(head.subarray(start, end));
  return value === undefined ? undefined : { value, length: end - start };
}

/** The first key of the object at `start`, if the head holds it whole. */
function firstKey(head: Buffer, start: number): string | undefined {
  const i = firstSignificant(head, start + 1);
  if (i === -1 || head[i] !== QUOTE) return undefined;
  const scanner = new ValueScanner();
  scanner.begin(QUOTE);
  const end = scanner.scan(head, i + 1);
  return end === -1 ? undefined : parseString(head.subarray(i, end));
}

/**
 * Top-level keys of the (possibly cut-off) object at `start` whose value is an array starting
 * with an object, in document order. Values are skipped with the streaming scanner.
 */
function arrayOfObjectKeys(head: Buffer, start: number): string[] {
  const keys: string[] = [];
  const scanner = new ValueScanner();
  let i = start + 1;
  for (;;) {
    i = firstSignificant(head, i, true);
    if (i === -1 || head[i] === RBRACE || head[i] !== QUOTE) return keys;
    scanner.begin(QUOTE);
    const keyEnd = scanner.scan(head, i + 1);
    if (keyEnd === -1) return keys;
    const key = parseString(head.subarray(i, keyEnd));
    i = firstSignificant(head, keyEnd);
    if (i === -1 || head[i] !== COLON) return keys;
    i = firstSignificant(head, i + 1);
    if (i === -1) return keys;
    if (head[i] === LBRACKET) {
      const element = firstSignificant(head, i + 1);
      if (element !== -1 && head[element] === LBRACE && key !== undefined) keys.push(key);
    }
    scanner.begin(head[i] as number);
    const valueEnd = scanner.scan(head, i + 1);
    if (valueEnd === -1) return keys;
    i = valueEnd;
  }
}

/** Index of the next byte that is not whitespace (nor a comma, if asked), or -1. */
function firstSignificant(buf: Buffer, from: number, skipCommas = false): number {
  for (let i = from; i < buf.length; i++) {
    const b = buf[i] as number;
    if (!isJsonWhitespace(b) && !(skipCommas && b === 0x2c)) return i;
  }
  return -1;
}

function nextTerminator(buf: Buffer, from: number): number {
  const lf = buf.indexOf(LF, from);
  const cr = buf.indexOf(CR, from);
  return cr === -1 ? lf : lf === -1 ? cr : Math.min(lf, cr);
}

function parseObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function parseString(bytes: Buffer): string | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function isArrayOfObjects(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  const first: unknown = value[0];
  return typeof first === 'object' && first !== null && !Array.isArray(first);
}
