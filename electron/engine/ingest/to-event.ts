import type { AuditEvent } from '../../../shared/domain/audit-event.ts';
import { toEventRow, type EventRow } from '../store/event-row.ts';
import { eventId, parseForHashing } from './event-id.ts';
import type { Normalizer, RecordReject, SourceRecord } from './types.ts';

const HEAD_BYTES = 256;
const LONG_DIGIT_RUN = /\d{16}/;

/**
 * One source record → the stored row, or a reject saying why not. The raw text is kept exactly;
 * the parsed document is stored beside it only when the raw text is not itself a JSON object, so
 * raw field paths stay queryable for CSV rows, auditd groups and JSON-in-a-string lines.
 */
export function toRow(
  record: SourceRecord,
  normalizer: Normalizer,
  importId: number,
  rawBytes?: Uint8Array,
): EventRow | RecordReject {
  let normalized;
  try {
    normalized = normalizer.normalize(record);
  } catch (error) {
    return rejectOf(record, `not a ${normalizer.label} record: ${(error as Error).message}`);
  }
  const { sourceEventId, ...fields } = normalized;
  const rawIsJsonObject = record.document === undefined && firstNonSpace(record.text) === '{';
  const event: AuditEvent = {
    ...fields,
    id: eventId(fields.source, sourceEventId, sourceEventId ? undefined : hashable(record, rawIsJsonObject)),
    raw: record.text,
    encodingError: record.encodingError,
    origin: { importId, offset: record.offset, line: record.line },
  };
  const document = rawIsJsonObject ? null : JSON.stringify(record.document ?? record.value);
  return toEventRow(event, document, rawBytes);
}

/** What an event without a source id is hashed over: its record, numbers exactly as written. */
function hashable(record: SourceRecord, rawIsJsonObject: boolean): unknown {
  // The record was parsed from its text already. A second parse that keeps numbers exactly can
  // differ only where an integer is past 2^53, which takes 16 digits or more: without such a run
  // the first parse is the same value (and parsing again was a fifth of a tail's parse time).
  if (!rawIsJsonObject || !LONG_DIGIT_RUN.test(record.text)) return record.value;
  try {
    return parseForHashing(record.text);
  } catch {
    return record.value;
  }
}

export function rejectOf(record: SourceRecord, reason: string): RecordReject {
  const bytes = Buffer.from(record.text, 'utf8');
  return {
    offset: record.offset,
    line: record.line,
    reason,
    head: bytes.subarray(0, HEAD_BYTES),
    length: bytes.length,
  };
}

function firstNonSpace(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r' && ch !== '\ufeff') return ch;
  }
  return undefined;
}
