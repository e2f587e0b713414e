// Parses input files off the writer's thread: container, format, normalization, event ids.
// The writer inserts what this sends; with two cores the two overlap almost fully. One worker
// parses one file at a time and then waits for the next (see parse-workers.ts: starting a worker
// costs more than parsing a tail's batch).
import { parentPort } from 'node:worker_threads';
import { planFile, UnrecognizedInputError, type FilePlan } from '../ingest/sniff-file.ts';
import { batchSize, readFileBatches } from '../ingest/import-file.ts';
import { createGenericNormalizer } from '../ingest/normalize/generic.ts';
import { BATCHES_IN_FLIGHT, type ParseJob, type ParseMessage, type WriterMessage } from './parse-protocol.ts';

const port = parentPort;
if (!port) throw new Error('parse-worker must run as a worker thread');
const send = (message: ParseMessage): void => port.postMessage(message);

/**
 * Rows per message of a file committed in one transaction (a tail's): the writer stores each while
 * the next is parsed. Parsing and storing a tail's rows in turn made a row wait for both.
 */
const TAIL_PARSE_BATCH = 500;

/** The file being parsed: its flow control, reset for every job. */
interface Current {
  signal: { cancelled: boolean };
  credits: number;
  wake?: () => void;
  startWith?: (importId: number) => void;
}
let current: Current | undefined;

port.on('message', (message: WriterMessage) => {
  if (message.type === 'job') {
    const job: Current = { signal: { cancelled: false }, credits: BATCHES_IN_FLIGHT };
    current = job;
    run(message.job, job).catch((error: unknown) =>
      send({ type: 'failed', message: (error as Error).message }),
    );
    return;
  }
  if (!current) return;
  if (message.type === 'credit') current.credits++;
  else if (message.type === 'cancel') current.signal.cancelled = true;
  else if (message.type === 'start') current.startWith?.(message.importId);
  current.wake?.();
});

async function run(job: ParseJob, state: Current): Promise<void> {
  let plan: FilePlan;
  try {
    plan = await planFile(job.path, {
      format: job.format,
      normalizer: job.mapping ? createGenericNormalizer(job.mapping) : undefined,
      container: job.container,
    });
  } catch (error) {
    // "Not an audit log" only when it is that; unreadable files and broken gzip are failures.
    const message = (error as Error).message;
    send(
      error instanceof UnrecognizedInputError
        ? { type: 'unrecognized', message }
        : { type: 'failed', message },
    );
    return;
  }
  const importId = await new Promise<number>((resolve) => {
    state.startWith = resolve;
    send({
      type: 'plan',
      format: plan.normalizer.format,
      label: plan.normalizer.label,
      container: plan.container.kind,
    });
  });
  const { signal } = state;
  const batches = readFileBatches(
    job.path,
    plan,
    importId,
    signal,
    { maxRecordBytes: job.maxRecordBytes },
    job.oneTransaction ? () => TAIL_PARSE_BATCH : batchSize,
  );
  for (;;) {
    while (state.credits === 0 && !signal.cancelled)
      await new Promise<void>((resolve) => (state.wake = resolve));
    const next = await batches.next();
    if (next.done) {
      send({ type: 'done', size: next.value.size, sha256: next.value.sha256, cancelled: signal.cancelled });
      return;
    }
    if (signal.cancelled) continue; // drain quickly: the reader stops at its next chunk
    state.credits--;
    send({ type: 'batch', ...next.value });
  }
}
