import { statSync } from 'node:fs';
import type { EventWriter } from '../store/event-writer.ts';
import type { ContainerInfo } from '../ingest/record-stream.ts';
import type { FormatId } from '../ingest/types.ts';
import { ParseWorkers } from './parse-workers.ts';
import type { ParseJob, ParseMessage, WriterMessage } from './parse-protocol.ts';
import type { ImportFileResult, ImportProgress } from '../../../shared/domain/import.ts';
import { GatedQueue, type WriteGate } from './write-gate.ts';

/** The writer thread's parse workers, kept between files. */
const parseWorkers = new ParseWorkers();

export interface ImportFileOptions {
  jobId: string;
  format?: FormatId;
  /** The layout, when known already (see ImportOptions.container). */
  container?: ContainerInfo;
  mapping?: Record<string, string>;
  maxRecordBytes?: number;
  /** A tail's batch (see ImportOptions.tailBatch): no full checkpoint, commits not waiting for the disk. */
  tailBatch?: boolean;
}

/**
 * Runs one file's import: a parse worker reads and normalizes, this thread commits each batch in
 * its own transaction and hands back a credit, so at most a few batches are ever in memory. A
 * tail's file is one transaction over all its batches, open from the first to `done`: every
 * write on this thread goes through `gate`, so no other write lands in it meanwhile.
 */
export function runImport(
  writer: EventWriter,
  gate: WriteGate,
  path: string,
  options: ImportFileOptions,
  onProgress: (progress: ImportProgress) => void,
  registerCancel: (cancel: () => void) => void,
): Promise<ImportFileResult> {
  const job: ParseJob = {
    path,
    format: options.format,
    ...(options.container ? { container: options.container } : {}),
    mapping: options.mapping,
    maxRecordBytes: options.maxRecordBytes ?? 32 * 1024 * 1024,
    ...(options.tailBatch ? { oneTransaction: true } : {}),
  };
  // A tail's batch is redone from its spool or its table if a power cut takes it: its commits
  // need not wait for the disk. An import's wait, so that "imported" means on disk.
  const commit = <T>(write: () => T): T => (options.tailBatch ? writer.redoable(write) : write());
  const worker = parseWorkers.take();
  // This import's writes, in order, each when the gate lets it (see WriteGate).
  const me = {};
  const writes = new GatedQueue(gate, me);
  /** The tail file's transaction is open (from its first batch). */
  let spanning = false;
  let settled = false;
  const send = (message: WriterMessage): void => {
    if (!settled) worker.postMessage(message);
  };
  registerCancel(() => send({ type: 'cancel' }));
  send({ type: 'job', job });

  const startedAt = Date.now();
  const result: ImportFileResult = {
    path,
    importId: null,
    format: null,
    container: null,
    status: 'running',
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    size: null,
    sha256: null,
    bytesRead: 0,
    totalBytes: fileSize(path),
    elapsedMs: 0,
  };
  let lastProgress = 0;
  const progress = (force: boolean): void => {
    const now = Date.now();
    if (!force && now - lastProgress < 200) return;
    lastProgress = now;
    result.elapsedMs = now - startedAt;
    onProgress({ jobId: options.jobId, path, ...pick(result) });
  };

  return new Promise<ImportFileResult>((resolve) => {
    // An import ends exactly once: messages the worker had already queued (batches, even `done`)
    // still arrive after it is ended, and must not write into, or relabel, an ended import. The
    // worker is kept for the next file only when it ended the file itself (`idle`).
    const finish = (
      outcome: 'complete' | 'failed' | 'cancelled' | 'unrecognized',
      why?: string,
      idle = false,
    ): void => {
      if (settled) return;
      settled = true;
      let status = outcome;
      let error = why;
      /** The import's row was marked in the file's own transaction. */
      let recorded = false;
      if (spanning) {
        // A tail's file is stored with its import marked complete, or not at all.
        spanning = false;
        try {
          if (status !== 'complete') throw new Error(error ?? status);
          writer.finishImport(result.importId as number, {
            status,
            size: result.size,
            sha256: result.sha256,
          });
          writer.endSpan(true);
          recorded = true;
        } catch (failure) {
          writer.endSpan(false);
          result.accepted = 0;
          result.duplicates = 0;
          result.rejected = 0;
          if (status === 'complete') {
            status = 'failed';
            error = `the batch could not be stored: ${(failure as Error).message}`;
          }
        }
      }
      result.status = status;
      if (error) result.error = error;
      result.elapsedMs = Date.now() - startedAt;
      try {
        if (result.importId !== null && !recorded) {
          const importId = result.importId;
          commit(() =>
            writer.finishImport(importId, {
              status: status === 'unrecognized' ? 'failed' : status,
              size: result.size,
              sha256: result.sha256,
              error,
            }),
          );
        }
      } catch (failure) {
        // The row stays 'running' and becomes 'interrupted' on the next open; the caller hears why.
        result.status = 'failed';
        result.error = `${error ?? status}; and the import could not be recorded: ${(failure as Error).message}`;
      } finally {
        // Only now: the writes waiting for the gate must not land before this import's last one.
        gate.release(me);
        if (idle) parseWorkers.release(worker);
        else parseWorkers.discard(worker);
        progress(true);
        resolve(result);
      }
    };
    const handle = (message: ParseMessage): void => {
      if (settled) return;
      try {
        switch (message.type) {
          case 'unrecognized':
            return finish('unrecognized', message.message, true);
          case 'plan':
            result.format = message.format;
            result.container = message.container;
            result.importId = commit(() =>
              writer.beginImport({ path, format: message.format, container: message.container }),
            );
            return send({ type: 'start', importId: result.importId });
          case 'batch': {
            if (job.oneTransaction && !spanning) {
              gate.hold(me);
              writer.beginSpan();
              spanning = true;
            }
            const store = (): ReturnType<EventWriter['insertBatch']> =>
              writer.insertBatch(result.importId as number, message.rows, message.rejects);
            // Within a tail file's transaction, how it commits was set when it began (beginSpan).
            const counts = spanning ? store() : commit(store);
            result.accepted += counts.accepted;
            result.duplicates += counts.duplicates;
            result.rejected += counts.rejected;
            result.bytesRead = message.bytesRead;
            send({ type: 'credit' });
            return progress(false);
          }
          case 'done':
            result.size = message.size;
            result.bytesRead = message.size;
            result.sha256 = message.sha256;
            return finish(message.cancelled ? 'cancelled' : 'complete', undefined, true);
          case 'failed':
            return finish('failed', message.message, true);
        }
      } catch (error) {
        send({ type: 'cancel' });
        finish('failed', (error as Error).message);
      }
    };
    worker.on('error', (error) => writes.push(() => finish('failed', error.message)));
    // A worker that ends without a word (killed, out of memory) must not leave the import waiting.
    worker.on('exit', (code) =>
      writes.push(() => finish('failed', `the parse worker stopped (exit code ${code})`)),
    );
    worker.on('message', (message: ParseMessage) => writes.push(() => handle(message)));
  });
}

function pick(result: ImportFileResult): Omit<ImportProgress, 'jobId' | 'path'> {
  return {
    status: result.status,
    format: result.format,
    accepted: result.accepted,
    duplicates: result.duplicates,
    rejected: result.rejected,
    bytesRead: result.bytesRead,
    totalBytes: result.totalBytes,
    elapsedMs: result.elapsedMs,
  };
}

function fileSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}
