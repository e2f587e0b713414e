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
  /** The table's columns when it was saved (absent: leave the columns as they are). */
  columns: z.array(z.string().min(1).max(512)).max(100).optional(),
  savedAt: z.number().int(),
});
export type SavedSearch = z.infer<typeof SavedSearch>;

/** A search the analyst ran, for the history to go back to (the newest first). */
export const HistoryEntry = z.object({
  search: z.string().max(10_000),
  range: SavedRange,
  usedAt: z.number().int(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;
