import { HashingFileReader } from './read-file.ts';
import { recordStream, sniffStream, DEFAULT_RECORD_OPTIONS, type ContainerInfo } from './record-stream.ts';
import { NORMALIZERS, normalizerFor } from './normalize/index.ts';
import type { FormatId, Normalizer, SourceRecord } from './types.ts';

const SAMPLE_RECORDS = 50;

export class UnrecognizedInputError extends Error {}

export interface FilePlan {
  container: ContainerInfo;
  normalizer: Normalizer;
}

/**
 * Decides how to read a file before anything is written: the container from its first bytes, the
 * format by letting every normalizer score the first records. A file nothing recognizes is an
 * error that leaves the case untouched.
 */
export async function planFile(
  path: string,
  force?: { format?: FormatId; normalizer?: Normalizer; container?: ContainerInfo },
): Promise<FilePlan> {
  const container = force?.container ?? (await sniffStream(new HashingFileReader(path).chunks()));
  if (!container) {
    throw new UnrecognizedInputError(
      `${path}: not a recognized audit log (expected JSON, NDJSON, CSV or auditd text)`,
    );
  }
  const forced =
    force?.normalizer ?? (force?.format ? normalizerFor(force.format, container.kind) : undefined);
  // Layout and format both known (a followed file's later batches): read as the file is, every
  // line that is not a record of it a counted reject, even when none is.
  if (force?.container && forced) return { container, normalizer: forced };
  if (container.kind === 'auditd') {
    return { container, normalizer: forced ?? (normalizerFor('linux.auditd', 'auditd') as Normalizer) };
  }

  const sample: SourceRecord[] = [];
  try {
    for await (const item of recordStream(
      new HashingFileReader(path).chunks(),
      container,
      DEFAULT_RECORD_OPTIONS,
    )) {
      if (item.kind === 'record') sample.push(item.record);
      if (sample.length >= SAMPLE_RECORDS) break;
    }
  } catch (error) {
    // A damaged stream (truncated gzip) is judged on the records before the damage.
    if (sample.length === 0) throw error;
  }
  if (sample.length === 0) {
    throw new UnrecognizedInputError(`${path}: no readable records in the first part of the file`);
  }
  const normalizer = forced ?? bestNormalizer(sample);
  if (!normalizer) {
    throw new UnrecognizedInputError(
      `${path}: not a recognized audit log (no record has a usable timestamp)`,
    );
  }
  return { container, normalizer };
}

function bestNormalizer(sample: SourceRecord[]): Normalizer | undefined {
  let best: Normalizer | undefined;
  let bestScore = 0;
  for (const normalizer of NORMALIZERS) {
    const score = sample.reduce((sum, record) => sum + normalizer.detect(record.value), 0) / sample.length;
    if (score > bestScore) {
      best = normalizer;
      bestScore = score;
    }
  }
  if (best && bestScore >= 0.5) return best;
  // No vendor format fits: the generic mapper, if it can read at least one sampled record.
  const generic = NORMALIZERS.find((n: Normalizer) => n.format === 'generic');
  return generic && sample.some((record) => normalizes(generic, record)) ? generic : undefined;
}

function normalizes(normalizer: Normalizer, record: SourceRecord): boolean {
  try {
    normalizer.normalize(record);
    return true;
  } catch {
    return false;
  }
}
