/** Median and percentiles of timing samples (milliseconds), rounded for reading. */
export function summarize(samples: number[]): {
  median: number;
  p95: number;
  min: number;
  max: number;
  n: number;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    median: round(at(0.5)),
    p95: round(at(0.95)),
    min: round(sorted[0] ?? NaN),
    max: round(sorted[sorted.length - 1] ?? NaN),
    n: sorted.length,
  };
}

export function timeMs<T>(run: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = run();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}
