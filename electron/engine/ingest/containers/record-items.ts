import type { JsonObject } from '../types.ts';
import { headCopy } from './bytes.ts';
import type { RecordItem } from './container-types.ts';
import { decodeRecordText } from './decode-text.ts';
import { parseJsonRecord } from './json-value.ts';
import type { AccumulatedBytes } from './record-accumulator.ts';

/** A reject item. `head` must already be a copy (or is copied here when given a Buffer view). */
export function rejectItem(
  offset: number,
  line: number,
  reason: string,
  head: Uint8Array,
  length: number,
): RecordItem {
  return { kind: 'reject', reject: { offset, line, reason, head, length } };
}

/** The reject for a record longer than the cap. */
export function oversizeReject(
  offset: number,
  line: number,
  maxBytes: number,
  head: Uint8Array,
  length: number,
): RecordItem {
  return rejectItem(offset, line, `record exceeds ${maxBytes} bytes`, head, length);
}

/** A reject for bytes we still hold in full. */
export function rejectBytes(offset: number, line: number, reason: string, bytes: Uint8Array): RecordItem {
  return rejectItem(offset, line, reason, headCopy([bytes]), bytes.length);
}

/** Build a record item from decoded bytes. `raw` is copied only for invalid UTF-8. */
export function recordItem(
  bytes: Uint8Array,
  text: string,
  encodingError: boolean,
  offset: number,
  line: number,
  value: JsonObject,
  document?: JsonObject,
): RecordItem {
  const record =
    document === undefined
      ? { value, text, encodingError, offset, line }
      : { value, text, encodingError, offset, line, document };
  return encodingError
    ? { kind: 'record', record, byteLength: bytes.length, raw: Uint8Array.from(bytes) }
    : { kind: 'record', record, byteLength: bytes.length };
}

/** Turn the bytes of one JSON record (NDJSON line, array element) into a record or a reject. */
export function jsonRecordItem(
  span: AccumulatedBytes,
  offset: number,
  line: number,
  maxBytes: number,
  maxDepth: number,
): RecordItem {
  if (span.oversize) return oversizeReject(offset, line, maxBytes, span.head, span.length);
  const { text, encodingError } = decodeRecordText(span.bytes);
  const parsed = parseJsonRecord(text, maxDepth);
  if (!parsed.ok) return rejectBytes(offset, line, parsed.reason, span.bytes);
  return recordItem(span.bytes, text, encodingError, offset, line, parsed.value, parsed.document);
}
