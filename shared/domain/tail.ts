import { z } from 'zod';

export const TAIL_STATES = [
  'following',
  'waiting for the file',
  'reconnecting',
  // A table's poll has gone unanswered for a while (a dead network, a lock): it times out, and
  // the tail reconnects.
  'stalled',
  // A followed file's batch the case could not store (a full disk): stored again after a delay.
  'retrying',
  'stopped',
  'failed',
] as const;

/**
 * A file or a database table followed into a case: its state and what it stored so far (since the
 * tail began). `path` names it: the file's path, or `<source> · <table>`.
 */
export const TailStatus = z.object({
  path: z.string(),
  kind: z.enum(['file', 'table']),
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
  /**
   * Something the tail could not read and will not (a file rotated out and compressed while no
   * tail ran): kept while the tail runs, and in its last status, unlike `error`.
   */
  warning: z.string().optional(),
  /** A table's connection failed: the attempt, and when the next one starts (epoch ms). */
  attempt: z.number().int().optional(),
  retryAt: z.number().optional(),
});
export type TailStatus = z.infer<typeof TailStatus>;
export type TailState = TailStatus['state'];
