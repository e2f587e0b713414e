import type { NormalizedEvent } from '../../../shared/domain/audit-event.ts';

/** A plain JSON-like object. Objects built from CSV rows or auditd fields use a null prototype. */
export type JsonObject = Record<string, unknown>;

/**
 * One record as a container reader found it: the exact bytes, where they start, and (for
 * JSON and CSV) the parsed value. Offsets are byte offsets in the decompressed stream.
 */
export interface SourceRecord {
  /** Parsed record: a JSON object, a CSV row keyed by header, or the auditd fields of a group. */
  value: JsonObject;
  /** The original record bytes decoded as UTF-8, byte for byte what the input held. */
  text: string;
  /** True when the bytes were not valid UTF-8 (then `text` is a lossy decoding). */
  encodingError: boolean;
  /** Byte offset of the first byte of the record. */
  offset: number;
  /** 1-based line number of the first byte of the record. */
  line: number;
  /**
   * When the record's `text` is not itself a JSON object (CSV rows, auditd text, JSON strings
   * inside JSON), the structured document the raw field paths are queried against.
   */
  document?: JsonObject;
}

/** A record that could not be used, with where it was and why. Becomes a row in `rejects`. */
export interface RecordReject {
  offset: number;
  line: number;
  /** Human-readable reason, e.g. `invalid JSON: Unexpected token } at position 17`. */
  reason: string;
  /** The first bytes of the record (at most 256), for the rejects viewer. */
  head: Uint8Array;
  /** Full length of the rejected record in bytes. */
  length: number;
}

/** Thrown by a normalizer when a record is structurally fine but unusable (no timestamp, …). */
export class RecordError extends Error {}

/** Identifiers of the formats we normalize. */
export const FORMAT_IDS = [
  'aws.cloudtrail',
  'okta',
  'github',
  'k8s.audit',
  'linux.auditd',
  'azure.entra',
  'google.workspace',
  'generic',
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/** How the records of a file are laid out. */
/** `json-objects`: top-level objects one after another, pretty-printed or not (concatenated JSON). */
export type ContainerKind = 'ndjson' | 'json-array' | 'json-wrapper' | 'json-objects' | 'csv' | 'auditd';

/** A per-format normalizer: recognizes its records and maps them onto the event model. */
export interface Normalizer {
  format: FormatId;
  /** Display name, e.g. "AWS CloudTrail". */
  label: string;
  /**
   * How sure we are (0..1) that a parsed record belongs to this format. Sniffing runs this over
   * the first records of a file and picks the best-scoring normalizer; ≥ 0.5 means "mine".
   */
  detect(value: JsonObject): number;
  /** Map one record. Throws RecordError for records that cannot become an event. */
  normalize(record: SourceRecord): NormalizedEvent;
}
