import { z } from 'zod';

/** A note of the case's own (not on one event): Markdown, optionally pinned to an instant. */
export const CaseNote = z.object({
  id: z.number().int(),
  /** Where the note sits on the investigation timeline (epoch µs); notes without one come first. */
  time: z.number().int().nullable(),
  body: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type CaseNote = z.infer<typeof CaseNote>;

export const CaseNoteDraft = z.object({
  /** Absent for a new note. */
  id: z.number().int().positive().optional(),
  time: z.number().int().nullable(),
  body: z.string().trim().min(1).max(100_000),
});
export type CaseNoteDraft = z.infer<typeof CaseNoteDraft>;
