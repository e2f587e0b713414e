import type { Placed } from './group-scan.ts';
import { Tally } from './live-scan.ts';
import type { CorrelationRule, SigmaRule } from './sigma-rule.ts';

/** A match as the fold reads it: where it is and when. */
type Timed = Pick<Placed, 'seq' | 'time'>;

/**
 * Sigma correlations over a live tail, in memory that grows with their timespans and the grace,
 * not with the tail. Whether a match belongs to a correlation's hits depends only on the matches
 * within its timespan either side (run-rules.ts `correlate`: windows of `timespan` starting at
 * each match), so once every match up to `cut + timespan` is in, the hits before `cut` are final:
 * they are added up (`folded`), and the matches no correlation needs any more are dropped. Matches
 * read later than the grace after newer ones could change settled hits: `lateBy` says how late,
 * and the engine reads the case again with a longer grace (SigmaEngine).
 */
export class LiveCorrelations {
  readonly graceMicros: number;
  /** How far behind the newest match came the latest one too late to place (0: none did). */
  lateBy = 0;
  private readonly folds = new Map<CorrelationRule, { folded: Tally; cut: number }>();
  /** Per base rule, the correlations that read its matches. */
  private readonly usedBy = new Map<SigmaRule, CorrelationRule[]>();
  private newest = -Infinity;
  private readonly nowMicros: () => number;

  constructor(
    correlations: readonly { rule: CorrelationRule; bases: readonly SigmaRule[] }[],
    graceMicros: number,
    nowMicros = (): number => Date.now() * 1000,
  ) {
    this.graceMicros = graceMicros;
    this.nowMicros = nowMicros;
    for (const { rule, bases } of correlations) {
      this.folds.set(rule, { folded: new Tally(), cut: -Infinity });
      for (const base of bases) this.usedBy.set(base, [...(this.usedBy.get(base) ?? []), rule]);
    }
  }

  /** A match of `base` was read at `time`. */
  take(base: SigmaRule, time: number): void {
    for (const rule of this.usedBy.get(base) ?? []) {
      const fold = this.folds.get(rule) as { cut: number };
      if (time < fold.cut + rule.timespan) this.lateBy = Math.max(this.lateBy, this.newest - time);
    }
    // A match dated in the future settles nothing early: the horizon never passes the clock.
    if (time > this.newest) this.newest = Math.min(time, this.nowMicros());
  }

  /**
   * What a correlation's hits add up to: the settled ones, then those of `found` (its hits over
   * the kept matches) from the cut on.
   */
  tally(rule: CorrelationRule, found: readonly Timed[]): Tally {
    const fold = this.folds.get(rule);
    if (!fold) return new Tally();
    const tally = fold.folded.copy();
    for (const m of found) if (m.time >= fold.cut) tally.add(m.time, m.seq);
    return tally;
  }

  /**
   * Settles the hits the grace has made final, a timespan (or a grace) at a time, and drops the
   * matches no correlation needs any more. `found` gives a correlation's hits over the kept matches.
   */
  settle(found: (rule: CorrelationRule) => readonly Timed[], matches: Map<SigmaRule, Timed[]>): void {
    const horizon = this.newest - this.graceMicros;
    let moved = false;
    for (const [rule, fold] of this.folds) {
      const cut = horizon - rule.timespan;
      if (!(cut - fold.cut >= Math.max(rule.timespan, this.graceMicros))) continue;
      for (const m of found(rule)) if (m.time >= fold.cut && m.time < cut) fold.folded.add(m.time, m.seq);
      fold.cut = cut;
      moved = true;
    }
    if (!moved) return;
    for (const [base, rules] of this.usedBy) {
      const keepFrom = Math.min(...rules.map((r) => (this.folds.get(r) as { cut: number }).cut - r.timespan));
      const kept = matches.get(base);
      if (kept)
        matches.set(
          base,
          kept.filter((m) => m.time >= keepFrom),
        );
    }
  }
}
