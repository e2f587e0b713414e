import { z } from 'zod';

/** One entry of a case's journal (see electron/engine/store/journal.ts). */
export const JournalEntry = z.object({
  seq: z.number().int(),
  /** Epoch milliseconds. */
  time: z.number().int(),
  action: z.string(),
  detail: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

/** What `auditscope verify` and Verify case… report. */
export const VerifyReport = z.object({
  journal: z.object({
    entries: z.number().int(),
    head: z.string().nullable(),
    broken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
  }),
  inputs: z.array(
    z.object({
      importId: z.number().int(),
      path: z.string(),
      sha256: z.string().nullable(),
      /** match: the file is still there with the same SHA-256; changed; missing. */
      state: z.enum(['match', 'changed', 'missing', 'unhashed']),
    }),
  ),
  ok: z.boolean(),
});
export type VerifyReport = z.infer<typeof VerifyReport>;
