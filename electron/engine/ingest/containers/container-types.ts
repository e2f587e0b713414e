import type { ContainerKind, RecordReject, SourceRecord } from '../types.ts';

/** 32 MiB: the largest record we turn into a string; larger ones become rejects. */
export const DEFAULT_MAX_RECORD_BYTES = 32 * 1024 * 1024;
/** Parsed JSON nested deeper than this is rejected (reliability.md §3.3). */
export const DEFAULT_MAX_DEPTH = 64;

export interface ContainerOptions {
  /** Default 32 MiB. Larger records become rejects without being materialized as a string. */
  maxRecordBytes?: number;
  /** Default 64. A parsed JSON record nested deeper than this becomes a reject. */
  maxDepth?: number;
}

/** The container layout plus what the sniffer learned about it. */
export interface ContainerSpec {
  kind: ContainerKind;
  /** json-wrapper: the top-level key whose array holds the records, e.g. `Records`. */
  wrapperKey?: string;
  /** csv: the field delimiter (`,`, `;` or a tab). */
  delimiter?: string;
}

/**
 * A record, or a reject. `byteLength` is the record's length in bytes (without its terminator),
 * so `offset`..`offset + byteLength` addresses the exact source bytes. When the bytes are not
 * valid UTF-8, `raw` carries a copy of them, since `record.text` is then only a lossy decoding.
 */
export type RecordItem =
  | { kind: 'record'; record: SourceRecord; byteLength: number; raw?: Uint8Array }
  | { kind: 'reject'; reject: RecordReject };

/** Options with defaults applied. */
export interface ResolvedOptions {
  maxRecordBytes: number;
  maxDepth: number;
}

export function resolveOptions(options: ContainerOptions | undefined): ResolvedOptions {
  const maxRecordBytes = options?.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isSafeInteger(maxRecordBytes) || maxRecordBytes < 1) {
    throw new RangeError(`maxRecordBytes must be a positive integer, got ${maxRecordBytes}`);
  }
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 1) {
    throw new RangeError(`maxDepth must be a positive integer, got ${maxDepth}`);
  }
  return { maxRecordBytes, maxDepth };
}

/** A container reader: fed chunks in order, yields items as soon as they are complete. */
export interface ContainerReader {
  push(chunk: Buffer): Iterable<RecordItem>;
  /** End of input: flush the last record and report anything left unfinished. */
  finish(): Iterable<RecordItem>;
}
