import { z } from 'zod';

/** Coarse event classes, aligned with ECS `event.category` / OCSF categories where they exist. */
export const EVENT_CATEGORIES = [
  'authentication',
  'iam',
  'configuration',
  'data_access',
  'data_change',
  'network',
  'system',
  'other',
] as const;
export const EventCategory = z.enum(EVENT_CATEGORIES);
export type EventCategory = z.infer<typeof EventCategory>;

export const EVENT_OUTCOMES = ['success', 'failure', 'unknown'] as const;
export const EventOutcome = z.enum(EVENT_OUTCOMES);
export type EventOutcome = z.infer<typeof EventOutcome>;

export const AuditActor = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  type: z.string().optional(),
});
export type AuditActor = z.infer<typeof AuditActor>;

export const AuditTarget = z.object({
  type: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
});
export type AuditTarget = z.infer<typeof AuditTarget>;

export const FieldChange = z.object({
  field: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type FieldChange = z.infer<typeof FieldChange>;

/** Where an event came from inside a case: which import, and where in the (decompressed) input. */
export const EventOrigin = z.object({
  importId: z.number().int(),
  /** Byte offset of the record's first byte in the decompressed input stream. */
  offset: z.number().int().nonnegative(),
  /** 1-based line number where the record starts. */
  line: z.number().int().positive(),
});
export type EventOrigin = z.infer<typeof EventOrigin>;

/**
 * One normalized audit record. Field names follow ECS/OCSF where they exist.
 * `raw` is the original record exactly as it came (the bytes of the input, decoded as UTF-8).
 */
export const AuditEvent = z.object({
  /** Deterministic: the source's own event id, else a SHA-256 of source identity + canonical record. */
  id: z.string(),
  /** UTC instant as integer epoch microseconds (keeps sub-millisecond precision where the source has it). */
  time: z.number().int(),
  /** The timestamp exactly as the source wrote it. */
  timeOriginal: z.string(),
  /** Source family, e.g. `aws.cloudtrail`, `okta`, `github`, `k8s.audit`, `linux.auditd`. */
  source: z.string(),
  action: z.string(),
  category: EventCategory,
  outcome: EventOutcome,
  actor: AuditActor,
  target: AuditTarget,
  ip: z.string().optional(),
  userAgent: z.string().optional(),
  sessionId: z.string().optional(),
  requestId: z.string().optional(),
  severity: z.string().optional(),
  message: z.string().optional(),
  changes: z.array(FieldChange),
  raw: z.string(),
  /** True when the input bytes were not valid UTF-8: `raw` then holds a lossy decoding. */
  encodingError: z.boolean().optional(),
  origin: EventOrigin.optional(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** What a format normalizer produces from one source record: everything but the stored bookkeeping. */
export type NormalizedEvent = Omit<AuditEvent, 'id' | 'raw' | 'origin' | 'encodingError'> & {
  /** The source's own unique event id (CloudTrail eventID, Okta uuid, …) when it has one. */
  sourceEventId?: string;
};
