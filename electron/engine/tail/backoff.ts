/**
 * Full jitter: a uniform draw in [0, min(cap, base·2^attempt)) (AWS's "exponential backoff and
 * jitter"): how long a tail waits before reconnecting, or before storing a batch again.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  return random() * Math.min(capMs, baseMs * 2 ** attempt);
}
