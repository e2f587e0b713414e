/**
 * Parsing of one auditd record line: the `type=… msg=audit(…):` header and the `key=value`
 * body, including the quirks real logs carry (nested `msg='…'`, hex-encoded strings, 2007-era
 * `old auid=… new auid=…` pairs and `(hostname=?, addr=?, …)` groups, ENRICHED 0x1D separators,
 * and the looser quoting of Microsoft's auoms).
 */
import { decodeHexValue, decodeSockaddr, isHexEncodedField, isHexString } from './auditd-decode.ts';

/** Field name → value of one record. Null prototype: keys come from hostile input. */
export type AuditFields = Record<string, string>;

/** One parsed record of an event. */
export interface AuditRecord {
  type: string;
  fields: AuditFields;
}

/** The parts of a record line's header. `epoch` and `serial` are kept exactly as written. */
export interface AuditHeader {
  node?: string;
  type: string;
  /** `<seconds>.<fraction>` as in the file, e.g. `1490995752.404`. */
  epoch: string;
  serial: string;
  /** Everything after `):`. */
  body: string;
}

// `msg=` is optional because auoms writes `type=AUOMS_EXECVE audit(…):`.
const HEADER = /^\s*(?:node=(\S+)\s+)?type=(\S+)\s+(?:msg=)?audit\((\d{1,12}(?:\.\d{1,9})?):(\d{1,20})\):?/;

/** Parse a record line's header, or undefined when the line is not an audit record. */
export function parseAuditHeader(line: string): AuditHeader | undefined {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const header: AuditHeader = {
    type: m[2] ?? '',
    epoch: m[3] ?? '',
    serial: m[4] ?? '',
    body: line.slice(m[0].length),
  };
  if (m[1] !== undefined) header.node = m[1];
  return header;
}

type Quoting = 'none' | 'double' | 'single';
interface Token {
  key: string;
  value: string;
  quoting: Quoting;
}

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\x1d' || c === '\r' || c === '\n';

// auoms does not escape quotes inside quoted values and leaves some values with spaces
// unquoted, so there a value ends only where the next `key=` (or the end) begins.
const NEXT_KEY = /\s+[A-Za-z_][\w-]*=/y;
const ONLY_SPACE_LEFT = /\s*$/y;

function followedByKeyOrEnd(body: string, at: number): boolean {
  NEXT_KEY.lastIndex = at;
  if (NEXT_KEY.test(body)) return true;
  ONLY_SPACE_LEFT.lastIndex = at;
  return ONLY_SPACE_LEFT.test(body);
}

function closingQuote(body: string, from: number, quote: string, lenient: boolean): number {
  const first = body.indexOf(quote, from);
  if (!lenient) return first;
  for (let j = first; j >= 0; j = body.indexOf(quote, j + 1)) {
    if (followedByKeyOrEnd(body, j + 1)) return j;
  }
  return first;
}

function unquotedEnd(body: string, from: number, lenient: boolean): number {
  let i = from;
  while (i < body.length && !isSpace(body[i])) i++;
  if (!lenient) return i;
  // Extend over spaces until the next token is a `key=` or nothing is left.
  while (i < body.length && !followedByKeyOrEnd(body, i)) {
    while (i < body.length && isSpace(body[i])) i++;
    while (i < body.length && !isSpace(body[i])) i++;
  }
  return i;
}

/** Split a record body into key/value tokens; bare words are dropped. */
function tokenize(body: string, lenient: boolean): Token[] {
  const tokens: Token[] = [];
  let prefix: string | undefined;
  let inParenGroup = false;
  let i = 0;
  while (i < body.length) {
    while (i < body.length && isSpace(body[i])) i++;
    const start = i;
    while (i < body.length && body[i] !== '=' && !isSpace(body[i])) i++;
    if (i >= body.length || body[i] !== '=') {
      // A bare word. `old`/`new` qualify the next key in the 2007-era LOGIN record.
      const word = body.slice(start, i);
      prefix = word === 'old' || word === 'new' ? word : undefined;
      continue;
    }
    let key = body.slice(start, i);
    i++;
    if (key.startsWith('(')) {
      key = key.slice(1);
      inParenGroup = true;
    }
    const c = body[i];
    let value: string;
    let quoting: Quoting = 'none';
    if (c === '"' || c === "'") {
      quoting = c === '"' ? 'double' : 'single';
      const close = closingQuote(body, i + 1, c, lenient && c === '"');
      const end = close < 0 ? body.length : close;
      value = body.slice(i + 1, end);
      i = close < 0 ? body.length : close + 1;
    } else {
      const end = unquotedEnd(body, i, lenient);
      value = body.slice(i, end);
      i = end;
      if (inParenGroup) {
        // `(hostname=?, addr=?, terminal=cron res=success)`: strip the list punctuation.
        if (value.endsWith(',')) value = value.slice(0, -1);
        if (value.endsWith(')') && !value.startsWith('(')) {
          value = value.slice(0, -1);
          inParenGroup = false;
        }
      }
    }
    if (prefix === 'old') key = `old-${key}`;
    prefix = undefined;
    if (key !== '') tokens.push({ key, value, quoting });
  }
  return tokens;
}

function setFirst(fields: AuditFields, key: string, value: string): void {
  if (!Object.hasOwn(fields, key)) fields[key] = value;
}

const EXECVE_CHUNK = /^(a\d{1,6})\[\d{1,6}\]$/;

function addTokens(
  fields: AuditFields,
  recordType: string,
  tokens: Token[],
  chunks: Map<string, Token[]>,
): void {
  for (const t of tokens) {
    const chunk = recordType === 'EXECVE' ? EXECVE_CHUNK.exec(t.key) : null;
    if (chunk?.[1] !== undefined) {
      const list = chunks.get(chunk[1]) ?? [];
      list.push(t);
      chunks.set(chunk[1], list);
      continue;
    }
    const decoded =
      t.quoting === 'none' && isHexEncodedField(recordType, t.key) && isHexString(t.value)
        ? decodeHexValue(t.key, t.value)
        : t.value;
    setFirst(fields, t.key, decoded);
  }
}

/** Long EXECVE arguments come as `aN_len=… aN[0]=… aN[1]=…`; join them back into `aN`. */
function joinExecveChunks(fields: AuditFields, chunks: Map<string, Token[]>): void {
  for (const [arg, parts] of chunks) {
    const hex = parts.some((p) => p.quoting === 'none' && isHexString(p.value));
    const joined = parts.map((p) => p.value).join('');
    setFirst(fields, arg, hex && isHexString(joined) ? decodeHexValue(arg, joined) : joined);
  }
}

const AVC_DECISION = /avc:\s+(denied|granted)\s+\{([^}]*)\}/;

/**
 * Parse the body of one record into fields. Duplicate keys keep the first value. A single-quoted
 * `msg='…'` (userspace records) keeps its text under `msg` and its inner pairs are added too (one
 * level only). `lenient` is for auoms, whose quoting is looser than auditd's.
 */
export function parseAuditFields(recordType: string, body: string, lenient = false): AuditFields {
  const fields: AuditFields = Object.create(null) as AuditFields;
  const chunks = new Map<string, Token[]>();
  for (const t of tokenize(body, lenient)) {
    if (t.key === 'msg' && t.quoting === 'single') {
      setFirst(fields, 'msg', t.value);
      addTokens(fields, recordType, tokenize(t.value, false), chunks);
    } else {
      addTokens(fields, recordType, [t], chunks);
    }
  }
  joinExecveChunks(fields, chunks);
  if (recordType === 'AVC' || recordType === 'USER_AVC') {
    // The decision is at the start of the record; a bounded prefix keeps hostile lines linear.
    const m = AVC_DECISION.exec(body.slice(0, 1024));
    if (m?.[1] !== undefined && m[2] !== undefined) {
      setFirst(fields, 'seresult', m[1]);
      setFirst(fields, 'seperms', m[2].trim().split(/\s+/).join(','));
    }
  }
  if (recordType === 'SOCKADDR' && fields.saddr !== undefined) {
    const sock = decodeSockaddr(fields.saddr);
    if (sock) for (const [k, v] of Object.entries(sock)) if (typeof v === 'string') setFirst(fields, k, v);
  }
  return fields;
}
