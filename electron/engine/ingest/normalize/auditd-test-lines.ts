/**
 * Test support: a tiny line splitter feeding `groupAuditdLines` (the production byte splitter
 * lives with the container readers). Splits on LF only; keeps every other byte.
 */
import { readFileSync } from 'node:fs';
import type { AuditdLine } from './auditd-grouping.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');

/** The lines of `bytes`, with byte offsets and 1-based line numbers. */
export function splitAuditdLines(bytes: Uint8Array): AuditdLine[] {
  const lines: AuditdLine[] = [];
  let offset = 0;
  let line = 1;
  while (offset < bytes.length) {
    let end = bytes.indexOf(0x0a, offset);
    if (end < 0) end = bytes.length;
    const slice = bytes.subarray(offset, end);
    let text: string;
    let encodingError = false;
    try {
      text = strictUtf8.decode(slice);
    } catch {
      text = lossyUtf8.decode(slice);
      encodingError = true;
    }
    lines.push({ text, offset, line, encodingError });
    offset = end + 1;
    line++;
  }
  return lines;
}

/** The lines of a file, as an async iterable. */
export async function* auditdFileLines(file: string): AsyncIterable<AuditdLine> {
  yield* splitAuditdLines(readFileSync(file));
}

/** Lines given as strings (offsets computed as if joined by LF), as an async iterable. */
export async function* auditdTextLines(texts: Iterable<string>): AsyncIterable<AuditdLine> {
  let offset = 0;
  let line = 1;
  for (const text of texts) {
    yield { text, offset, line, encodingError: false };
    offset += Buffer.byteLength(text) + 1;
    line++;
  }
}

/** Everything an async iterable yields. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
