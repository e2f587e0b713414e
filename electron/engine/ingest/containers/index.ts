/**
 * Streaming container readers: bytes in (optionally gzip), records and rejects out, with memory
 * bounded by the largest accepted record whatever the input size.
 */
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_RECORD_BYTES } from './container-types.ts';
export type { ContainerOptions, ContainerSpec, RecordItem } from './container-types.ts';
export { GzipError, maybeGunzip } from './gzip.ts';
export type { GunzipCaps } from './gzip.ts';
export { sniffContainer } from './sniff.ts';
export { readRecords } from './read-records.ts';
