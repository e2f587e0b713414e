import { z } from 'zod';

export const ImportStatus = z.enum(['running', 'complete', 'failed', 'cancelled', 'unrecognized']);
export type ImportStatus = z.infer<typeof ImportStatus>;

/** Progress of one file's import, pushed a few times a second. Rates derive from these counts. */
export const ImportProgress = z.object({
  jobId: z.string(),
  path: z.string(),
  status: ImportStatus,
  format: z.string().nullable(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  /** Input bytes consumed so far (compressed bytes for gzip), against `totalBytes` for the ETA. */
  bytesRead: z.number(),
  totalBytes: z.number().nullable(),
  elapsedMs: z.number(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;

/** How one file's import ended. Every record is accepted, a duplicate, or a reject. */
export const ImportFileResult = z.object({
  path: z.string(),
  importId: z.number().int().nullable(),
  format: z.string().nullable(),
  container: z.string().nullable(),
  status: ImportStatus,
  error: z.string().optional(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  size: z.number().nullable(),
  sha256: z.string().nullable(),
  bytesRead: z.number(),
  totalBytes: z.number().nullable(),
  elapsedMs: z.number(),
});
export type ImportFileResult = z.infer<typeof ImportFileResult>;

export const ImportSummary = z.object({
  files: z.array(ImportFileResult),
  totals: z.object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    bytes: z.number(),
    failedFiles: z.number().int(),
  }),
  elapsedMs: z.number(),
  eventsPerSecond: z.number(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

/** One rejected record, for the rejects viewer. */
export const RejectRow = z.object({
  importId: z.number().int(),
  offset: z.number().int(),
  line: z.number().int(),
  length: z.number().int(),
  reason: z.string(),
  /** The record's first bytes, decoded leniently for display. */
  head: z.string(),
});
export type RejectRow = z.infer<typeof RejectRow>;

/** One row of the imports table (chain of custody: what went in, with its hash). */
export const ImportRecord = z.object({
  id: z.number().int(),
  path: z.string(),
  size: z.number().nullable(),
  sha256: z.string().nullable(),
  format: z.string().nullable(),
  container: z.string().nullable(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  status: z.string(),
  error: z.string().nullable(),
});
export type ImportRecord = z.infer<typeof ImportRecord>;
