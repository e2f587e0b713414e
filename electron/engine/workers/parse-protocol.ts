import type { ContainerInfo } from '../ingest/record-stream.ts';
import type { FormatId, RecordReject } from '../ingest/types.ts';
import type { EventRow } from '../store/event-row.ts';

/** What the writer hands a parse worker for each file. */
export interface ParseJob {
  path: string;
  /** Force a format instead of detecting it. */
  format?: FormatId;
  /** Explicit column mapping for the generic format. */
  mapping?: Record<string, string>;
  /** The layout, when known already (a followed file's): not sniffed again from this input. */
  container?: ContainerInfo;
  maxRecordBytes: number;
  /**
   * A tail's batch: committed in one transaction. Its rows show together anyway, and every commit
   * rewrites each index page it touched (one per actor, IP… of the batch): the first batches of
   * an import, small so that its first rows show at once, made a tail write each page twice. Sent
   * in small batches all the same (TAIL_PARSE_BATCH) so that the writer stores the first while
   * the next are parsed.
   */
  oneTransaction?: boolean;
}

/** Parse worker → writer. */
export type ParseMessage =
  | { type: 'plan'; format: FormatId; label: string; container: string }
  | { type: 'unrecognized'; message: string }
  | { type: 'batch'; rows: EventRow[]; rejects: RecordReject[]; bytesRead: number }
  | { type: 'done'; size: number; sha256: string | null; cancelled: boolean }
  | { type: 'failed'; message: string };

/** Writer → parse worker. */
export type WriterMessage =
  | { type: 'job'; job: ParseJob }
  | { type: 'start'; importId: number }
  | { type: 'credit' }
  | { type: 'cancel' };

/** Batches a parse worker may have in flight before it waits for the writer. */
export const BATCHES_IN_FLIGHT = 4;
