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

/** What the workspace's header says of a case: cheap to ask (no breakdowns), asked often. */
export const CaseCounts = CaseStats.pick({ events: true, imports: true, rejects: true, ftsReady: true });
export type CaseCounts = z.infer<typeof CaseCounts>;

/** The case a workspace is working in. */
export const CaseInfo = z.object({ path: z.string(), name: z.string() });
export type CaseInfo = z.infer<typeof CaseInfo>;

/** A case opened lately; `exists` is false when its file has since gone. */
export const RecentCase = CaseInfo.extend({ exists: z.boolean() });
export type RecentCase = z.infer<typeof RecentCase>;
