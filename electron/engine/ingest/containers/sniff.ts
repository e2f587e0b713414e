import { CR, LBRACE, LBRACKET, LF, QUOTE, isJsonWhitespace } from './bytes.ts';
import type { ContainerSpec } from './container-types.ts';
import { sniffJsonObject } from './sniff-json-object.ts';
import { utf8Head } from './stream-encoding.ts';

const CSV_DELIMITERS = [',', ';', '\t'] as const;
const AUDITD_LINE = /^(?:node=\S+ )?type=\S+ msg=audit\(/;

/**
 * Decide the container from the first bytes of the (decompressed) input, e.g. its first 64 KiB.
 * A BOM is allowed (UTF-16 heads are transcoded first). Returns null for empty, binary or
 * unrecognized input.
 *
 * - `json-array`: first significant byte `[`.
 * - `ndjson`: first line is a complete JSON object and the next non-empty line starts with `{`
 *   (a single-object file too, unless it is a one-line wrapper such as `{"Records":[…]}`).
 * - `json-wrapper`: a top-level object with an array of objects under a key (`wrapperKey`).
 * - `auditd`: lines like `type=SYSCALL msg=audit(…)`.
 * - `csv`: a header line with `,`, `;` or tab (the most frequent one is the `delimiter`).
 */
export function sniffContainer(head: Buffer): ContainerSpec | null {
  const bytes = utf8Head(head);
  let start = 0;
  while (start < bytes.length && isJsonWhitespace(bytes[start] as number)) start++;
  if (start === bytes.length) return null;
  if (bytes.subarray(0, 4096).includes(0)) return null;
  const first = bytes[start];
  if (first === LBRACKET) return { kind: 'json-array' };
  if (first === LBRACE) return sniffJsonObject(bytes, start);
  const firstLine = lineAt(bytes, start);
  if (AUDITD_LINE.test(firstLine)) return { kind: 'auditd' };
  const delimiter = csvDelimiter(firstLine);
  return delimiter === undefined ? null : { kind: 'csv', delimiter };
}

function lineAt(bytes: Buffer, start: number): string {
  const lf = bytes.indexOf(LF, start);
  const cr = bytes.indexOf(CR, start);
  const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(lf, cr);
  return bytes.toString('utf8', start, end === -1 ? bytes.length : end);
}

/** The delimiter that occurs most often outside quotes in the header line. */
function csvDelimiter(header: string): string | undefined {
  const counts = new Map<string, number>();
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i] as string;
    if (c.charCodeAt(0) === QUOTE) quoted = !quoted;
    else if (!quoted && (CSV_DELIMITERS as readonly string[]).includes(c))
      counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const d of CSV_DELIMITERS) {
    if ((counts.get(d) ?? 0) > (best === undefined ? 0 : (counts.get(best) ?? 0))) best = d;
  }
  return best;
}
