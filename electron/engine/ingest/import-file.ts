import type { EventRow } from '../store/event-row.ts';
import { HashingFileReader } from './read-file.ts';
import { recordStream, DEFAULT_RECORD_OPTIONS, type RecordStreamOptions } from './record-stream.ts';
import type { FilePlan } from './sniff-file.ts';
import { toRow } from './to-event.ts';
import type { RecordReject } from './types.ts';

export interface EventBatch {
  rows: EventRow[];
  rejects: RecordReject[];
  /** Input bytes read so far (compressed bytes for gzip): what progress and ETA are measured in. */
  bytesRead: number;
}

export interface ReadOutcome {
  size: number;
  sha256: string | null;
}

/**
 * Records per committed batch: small at first so the first rows show within a moment, then larger,
 * because every commit rewrites the index pages it touched into the WAL.
 */
export function batchSize(batchIndex: number): number {
  return Math.min(MAX_BATCH, 1000 * 2 ** batchIndex);
}

/** The largest batch: memory stays bounded whatever the file. */
const MAX_BATCH = 25_000;

/**
 * Streams a planned file as batches of stored rows and rejects. Memory is one batch plus the
 * container's read-ahead, whatever the file size.
 */
export async function* readFileBatches(
  path: string,
  plan: FilePlan,
  importId: number,
  signal: { cancelled: boolean },
  options: RecordStreamOptions = DEFAULT_RECORD_OPTIONS,
  sizeOf: (batchIndex: number) => number = batchSize,
): AsyncGenerator<EventBatch, ReadOutcome> {
  const reader = new HashingFileReader(path);
  let rows: EventRow[] = [];
  let rejects: RecordReject[] = [];
  let batchIndex = 0;
  try {
    for await (const item of recordStream(reader.chunks(signal), plan.container, options)) {
      if (item.kind === 'reject') rejects.push(item.reject);
      else {
        const row = toRow(item.record, plan.normalizer, importId, item.raw);
        if (Array.isArray(row)) rows.push(row);
        else rejects.push(row);
      }
      if (rows.length + rejects.length >= sizeOf(batchIndex)) {
        batchIndex++;
        yield { rows, rejects, bytesRead: reader.bytesRead };
        rows = [];
        rejects = [];
      }
    }
  } catch (error) {
    // Damaged input (a truncated gzip): keep every record read before the damage, then fail.
    if (rows.length + rejects.length > 0) yield { rows, rejects, bytesRead: reader.bytesRead };
    throw error;
  }
  if (rows.length + rejects.length > 0) yield { rows, rejects, bytesRead: reader.bytesRead };
  return { size: reader.bytesRead, sha256: reader.sha256() };
}
