import { z } from 'zod';

/** The time range a search was saved with: a preset, or fixed bounds (epoch µs). */
export const SavedRange = z.union([
  z.object({ preset: z.enum(['24h', '7d', '30d', '90d', 'all']) }),
  z.object({ from: z.number().int().optional(), to: z.number().int().optional() }),
]);
export type SavedRange = z.infer<typeof SavedRange>;

export const SavedSearch = z.object({
  name: z.string().trim().min(1).max(120),
  search: z.string().max(10_000),
  range: SavedRange,
  savedAt: z.number().int(),
});
export type SavedSearch = z.infer<typeof SavedSearch>;
