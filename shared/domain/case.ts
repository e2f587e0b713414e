import { z } from 'zod';

export const FieldValueCount = z.object({ value: z.string(), count: z.number().int() });
export type FieldValueCount = z.infer<typeof FieldValueCount>;

/** Counts that describe a case at a glance (`auditscope stats`). */
export const CaseStats = z.object({
  events: z.number().int(),
  imports: z.number().int(),
  rejects: z.number().int(),
  /** Epoch microseconds of the first and last event, null for an empty case. */
  first: z.number().nullable(),
  last: z.number().nullable(),
  bySource: z.array(FieldValueCount),
  byAction: z.array(FieldValueCount),
  byOutcome: z.array(FieldValueCount),
  byCategory: z.array(FieldValueCount),
  /** False while the free-text index is still being built in the background. */
  ftsReady: z.boolean(),
});
export type CaseStats = z.infer<typeof CaseStats>;
