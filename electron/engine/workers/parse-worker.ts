// Parses one input file off the writer's thread: container, format, normalization, event ids.
// The writer inserts what this sends; with two cores the two overlap almost fully.
import { parentPort, workerData } from 'node:worker_threads';
import { planFile, UnrecognizedInputError, type FilePlan } from '../ingest/sniff-file.ts';
import { readFileBatches } from '../ingest/import-file.ts';
import { createGenericNormalizer } from '../ingest/normalize/generic.ts';
import { BATCHES_IN_FLIGHT, type ParseJob, type ParseMessage, type WriterMessage } from './parse-protocol.ts';

const port = parentPort;
if (!port) throw new Error('parse-worker must run as a worker thread');
const job = workerData as ParseJob;
const send = (message: ParseMessage): void => port.postMessage(message);

const signal = { cancelled: false };
let credits = BATCHES_IN_FLIGHT;
let wake: (() => void) | undefined;
let startWith: ((importId: number) => void) | undefined;

port.on('message', (message: WriterMessage) => {
  if (message.type === 'credit') credits++;
  else if (message.type === 'cancel') signal.cancelled = true;
  else if (message.type === 'start') startWith?.(message.importId);
  wake?.();
});

async function run(): Promise<void> {
  let plan: FilePlan;
  try {
    plan = await planFile(job.path, {
      format: job.format,
      normalizer: job.mapping ? createGenericNormalizer(job.mapping) : undefined,
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
    startWith = resolve;
    send({
      type: 'plan',
      format: plan.normalizer.format,
      label: plan.normalizer.label,
      container: plan.container.kind,
    });
  });
  const batches = readFileBatches(job.path, plan, importId, signal, { maxRecordBytes: job.maxRecordBytes });
  for (;;) {
    while (credits === 0 && !signal.cancelled) await new Promise<void>((resolve) => (wake = resolve));
    const next = await batches.next();
    if (next.done) {
      send({ type: 'done', size: next.value.size, sha256: next.value.sha256, cancelled: signal.cancelled });
      return;
    }
    if (signal.cancelled) continue; // drain quickly: the reader stops at its next chunk
    credits--;
    send({ type: 'batch', ...next.value });
  }
}

run().catch((error: unknown) => send({ type: 'failed', message: (error as Error).message }));
