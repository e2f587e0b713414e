import { Worker } from 'node:worker_threads';
import { workerEntry } from './rpc.ts';

/**
 * The parse worker's heap: room for a few batches and one record at the size limit (32 MiB of
 * JSON parses to a few times that), with a bounded young generation so garbage goes early.
 */
const PARSE_LIMITS = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 48 };

/** How long an idle parse worker is kept for the next file before it is ended. */
const IDLE_MS = 15_000;

/**
 * Parse workers kept between files. Starting a worker (a thread, a V8 isolate, the parse code)
 * takes ~100–150 ms on a loaded two-core machine: nothing beside a 50 MB file, but a live tail
 * imports a batch every few hundred milliseconds and a folder may hold thousands of small files.
 * One idle worker is kept for a while; a worker that failed or was stopped mid-file is not.
 */
export class ParseWorkers {
  private idle: { worker: Worker; timer: NodeJS.Timeout } | undefined;

  take(): Worker {
    const kept = this.idle;
    if (kept) {
      this.idle = undefined;
      clearTimeout(kept.timer);
      kept.worker.removeAllListeners('error');
      kept.worker.removeAllListeners('exit');
      kept.worker.ref();
      return kept.worker;
    }
    return new Worker(workerEntry('parse-worker'), { resourceLimits: PARSE_LIMITS });
  }

  /** Gives back a worker that finished its file (it sent `done`, `failed` or `unrecognized`). */
  release(worker: Worker): void {
    worker.removeAllListeners('message');
    worker.removeAllListeners('error');
    worker.removeAllListeners('exit');
    if (this.idle) {
      void worker.terminate();
      return;
    }
    // An idle worker must not keep the process alive, nor outlive its use for long.
    worker.unref();
    const timer = setTimeout(() => {
      if (this.idle?.worker === worker) this.idle = undefined;
      void worker.terminate();
    }, IDLE_MS);
    timer.unref();
    this.idle = { worker, timer };
    const forget = (): void => {
      if (this.idle?.worker === worker) this.idle = undefined;
    };
    worker.once('error', forget);
    worker.once('exit', forget);
  }

  /** Ends a worker that cannot be reused (it crashed, or was still sending a file's batches). */
  discard(worker: Worker): void {
    worker.removeAllListeners('message');
    worker.removeAllListeners('exit');
    void worker.terminate();
  }
}
