import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { StoredEvent } from '../../../shared/contract.ts';
import type { EventQuery } from '../../../shared/domain/query.ts';
import type { ExportProgress, ExportSummary } from '../../../shared/domain/export.ts';
import { writeEvents, type OutputFormat } from './write-events.ts';

/** Rows are read in pages of this many: memory stays bounded whatever the result's size. */
const PAGE = 2000;

/** The reader calls an export needs (a reader thread's proxy). */
export interface ExportReader {
  openResult(query: EventQuery): Promise<string>;
  count(handle: string): Promise<number>;
  rows(handle: string, start: number, limit: number): Promise<StoredEvent[]>;
  closeResult(handle: string): Promise<void>;
}

/**
 * The pages of every event of `query`, in its order, read on demand (never more than one page in
 * memory). `stop` is asked before each page: true ends the pages early (it may also throw).
 */
export async function* exportPages(
  reader: ExportReader,
  query: EventQuery,
  stop: () => boolean,
  onPage?: (written: number, total: number) => void,
): AsyncGenerator<StoredEvent[]> {
  const handle = await reader.openResult(query);
  try {
    const total = await reader.count(handle);
    onPage?.(0, total);
    for (let start = 0, written = 0; start < total && !stop(); start += PAGE) {
      const page = await reader.rows(handle, start, PAGE);
      yield page;
      written += page.length;
      onPage?.(written, total);
    }
  } finally {
    await reader.closeResult(handle);
  }
}

/**
 * Every event of `query`, in its order, streamed page by page into `file` in `format`. Written
 * to `<file>.partial` and renamed when complete, so an interrupted export never leaves a file
 * that looks whole; the SHA-256 of what was written is returned for the record of custody.
 */
export async function exportToFile(
  reader: ExportReader,
  query: EventQuery,
  job: {
    file: string;
    format: Exclude<OutputFormat, 'table'>;
    bom?: boolean;
    signal?: AbortSignal;
    onProgress?: (progress: Omit<ExportProgress, 'jobId'>) => void;
  },
): Promise<ExportSummary> {
  const started = Date.now();
  const partial = `${job.file}.partial`;
  const hash = createHash('sha256');
  let bytes = 0;
  const counting = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const file = createWriteStream(partial);
  counting.pipe(file);
  // A write error (disk full, folder gone) ends the export with that error, not a crash.
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    // Unblocks a writer waiting for 'drain' from a file that will never drain again.
    counting.destroy();
  };
  file.on('error', fail);
  counting.on('error', fail);

  let written = 0;
  const stop = (): boolean => {
    if (job.signal?.aborted) throw new Error('export cancelled');
    if (failure) throw failure;
    return false;
  };
  try {
    await writeEvents(
      counting,
      job.format,
      () =>
        exportPages(reader, query, stop, (count, total) => {
          written = count;
          job.onProgress?.({ written: count, total });
        }),
      { bom: job.bom },
    );
    counting.end();
    await finished(file);
    if (failure) throw failure;
    await rename(partial, job.file);
    return {
      file: job.file,
      format: job.format,
      events: written,
      bytes,
      sha256: hash.digest('hex'),
      elapsedMs: Date.now() - started,
    };
  } catch (error) {
    // What ended the export, taken before the clean-up: destroying the streams can raise errors
    // of its own ("write after destroyed") that must not replace the reason.
    const cause = failure ?? error;
    counting.destroy();
    file.destroy();
    await rm(partial, { force: true });
    throw cause;
  }
}
