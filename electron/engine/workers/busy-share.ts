/**
 * The share of the last `windowMs` spent in some work (a tail storing its batches), from the
 * spans it took: what tells a tail that needs every core from one that leaves room.
 */
export class BusyShare {
  private readonly windowMs: number;
  private spans: { start: number; end: number }[] = [];

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  add(start: number, end: number): void {
    this.spans.push({ start, end });
  }

  /** 0–1: the part of (now − windowMs, now] covered by the spans added. */
  share(now: number): number {
    const from = now - this.windowMs;
    this.spans = this.spans.filter((span) => span.end > from);
    let busy = 0;
    for (const span of this.spans) busy += Math.min(span.end, now) - Math.max(span.start, from);
    return Math.min(1, Math.max(0, busy / this.windowMs));
  }
}
