import { z } from 'zod';

export const TAIL_STATES = ['following', 'waiting for the file', 'stopped', 'failed'] as const;

/** A file followed into a case: its state and what it stored so far (since the tail began). */
export const TailStatus = z.object({
  path: z.string(),
  state: z.enum(TAIL_STATES),
  events: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  /** Bytes of the file read. */
  bytes: z.number().int(),
  rotations: z.number().int(),
  truncations: z.number().int(),
  /** The format the first lines were recognized as (kept for the rest of the file). */
  format: z.string().optional(),
  error: z.string().optional(),
});
export type TailStatus = z.infer<typeof TailStatus>;
export type TailState = TailStatus['state'];
