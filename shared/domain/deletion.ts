import { z } from 'zod';
import { EventQuery } from './query.ts';

/** Which events a deletion removes from the case: the rows picked, or everything a search matches. */
export const DeletionTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('events'), seqs: z.array(z.number().int().positive()).min(1).max(100_000) }),
  z.object({ kind: z.literal('query'), query: EventQuery }),
  /** A retention rule: events older than `days` (before now), of one category or all. */
  z.object({
    kind: z.literal('retention'),
    days: z.number().int().min(1).max(36_500),
    category: z.string().min(1).max(64).optional(),
  }),
]);
export type DeletionTarget = z.infer<typeof DeletionTarget>;

export const DeletionSummary = z.object({
  events: z.number().int(),
  /** SHA-256 of the deleted events' ids, in case order, one per line: what the journal pins. */
  idsSha256: z.string(),
});
export type DeletionSummary = z.infer<typeof DeletionSummary>;
