interface BucketedCounts {
  buckets: readonly { start: number; counts: Record<string, number> }[];
  from: number;
  to: number;
  interval: number;
}

/**
 * Every bucket of a histogram's range from its first event, empty ones too (the engine leaves
 * them out, but a chart must show quiet stretches as gaps), at most `max`; with each bucket's
 * counts by stack (empty for a quiet bucket).
 */
export function everyBucket(
  histogram: BucketedCounts,
  max: number,
): { start: number; counts: Record<string, number> }[] {
  const counts = new Map(histogram.buckets.map((b) => [b.start, b.counts]));
  const all: { start: number; counts: Record<string, number> }[] = [];
  const first = histogram.buckets[0]?.start ?? histogram.from;
  for (let start = first; start < histogram.to && all.length < max; start += histogram.interval)
    all.push({ start, counts: counts.get(start) ?? {} });
  return all;
}
