import { maybeGunzip, readRecords, sniffContainer } from './containers/index.ts';
import { groupAuditdLines, type AuditdLine } from './normalize/linux-auditd.ts';
import type { ContainerKind, RecordReject, SourceRecord } from './types.ts';

/** A record with, when its bytes were not valid UTF-8, those exact bytes; or a reject. */
export type StreamItem =
  { kind: 'record'; record: SourceRecord; raw?: Uint8Array } | { kind: 'reject'; reject: RecordReject };

export interface ContainerInfo {
  kind: ContainerKind;
  wrapperKey?: string;
  delimiter?: string;
}

export interface RecordStreamOptions {
  maxRecordBytes: number;
}

export const DEFAULT_RECORD_OPTIONS: RecordStreamOptions = { maxRecordBytes: 32 * 1024 * 1024 };

/** Decompressed bytes → container sniffing, from the first bytes only. */
export async function sniffStream(
  source: AsyncIterable<Uint8Array>,
  headBytes = 256 * 1024,
): Promise<ContainerInfo | null> {
  const parts: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of maybeGunzip(source)) {
      parts.push(chunk);
      length += chunk.length;
      if (length >= headBytes) break;
    }
  } catch (error) {
    // A damaged gzip is still sniffed from what it gave; the import then ends with the error.
    if (length === 0) throw error;
  }
  return sniffContainer(Buffer.concat(parts).subarray(0, headBytes));
}

/**
 * Every record of an input as the container holds it, auditd lines grouped into events. Rejects
 * of the container layer (bad JSON, oversize records) come through in order with the records.
 */
export async function* recordStream(
  source: AsyncIterable<Uint8Array>,
  container: ContainerInfo,
  options: RecordStreamOptions,
): AsyncIterable<StreamItem> {
  const items = readRecords(maybeGunzip(source), container, { maxRecordBytes: options.maxRecordBytes });
  if (container.kind !== 'auditd') {
    yield* items;
    return;
  }
  const rejects: StreamItem[] = [];
  async function* lines(): AsyncIterable<AuditdLine> {
    for await (const item of items) {
      if (item.kind === 'reject') rejects.push(item);
      else
        yield {
          text: item.record.text,
          offset: item.record.offset,
          line: item.record.line,
          encodingError: item.record.encodingError,
          ...(item.raw ? { raw: item.raw } : {}),
        };
    }
  }
  for await (const item of groupAuditdLines(lines())) {
    while (rejects.length > 0) yield rejects.shift() as StreamItem;
    yield item;
  }
  yield* rejects;
}
