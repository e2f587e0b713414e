/** An event one of a rule's searches matched, with the values the rule groups and counts by. */
export interface Hit {
  seq: number;
  id: string;
  time: number;
  /** Which search matched it: 0, or the sequence step. */
  step: number;
  /** The group-by values as written (shown), and lower-cased (compared). */
  values: string[];
  distinct?: string;
}

/** What puts a hit in its place: its time, its event and the step its event matched. */
export type Placed = Pick<Hit, 'seq' | 'time' | 'step'>;

export const byTime = (a: Placed, b: Placed): number => a.time - b.time || a.seq - b.seq;

/** The order a group's hits are scanned in: time, then event, then step (an event can match two). */
export const scanOrder = (a: Placed, b: Placed): number => byTime(a, b) || a.step - b.step;

/**
 * Finds which of one group's hits make a rule hold, reading the hits in scan order from left to
 * right. What it decides at each hit depends only on the hits before it, so hits that arrive later
 * in scan order (a live tail's) are scanned from where the last call stopped: a tail costs what it
 * adds, not the group's whole history again at every batch. Hits that arrive out of order need a
 * new scan from the start (see AlertRuleState).
 */
export interface GroupScan {
  /** Reads `hits` from index `from` on (every hit before it was read by earlier calls). */
  scan(hits: readonly Hit[], from: number): void;
  /** The hits that make up the group's alert, in time order (empty: the rule does not hold). */
  found(hits: readonly Hit[]): readonly Hit[];
}

export interface ScannedRule {
  type: 'event' | 'threshold' | 'distinct' | 'sequence';
  within?: number;
  threshold?: number;
  steps?: { min: number }[];
}

export function groupScan(rule: ScannedRule): GroupScan {
  const { type, within = 0, threshold = 1 } = rule;
  if (type === 'event') return { scan: () => undefined, found: (hits) => hits };
  if (type === 'sequence') return new SequenceScan(rule.steps ?? [], within);
  return new WindowScan(type === 'distinct', within, threshold);
}

/**
 * Threshold / distinct: slides a window of `within` over the group; every event of a window that
 * holds (enough events, or enough distinct values) belongs to the alert.
 */
class WindowScan implements GroupScan {
  private left = 0;
  private markedUpTo = 0;
  /** Distinct values in the window, with how many of its events have each. */
  private readonly values = new Map<string, number>();
  private readonly marked: Hit[] = [];

  private readonly distinct: boolean;
  private readonly within: number;
  private readonly threshold: number;

  constructor(distinct: boolean, within: number, threshold: number) {
    this.distinct = distinct;
    this.within = within;
    this.threshold = threshold;
  }

  scan(hits: readonly Hit[], from: number): void {
    for (let right = from; right < hits.length; right++) {
      const entering = hits[right] as Hit;
      if (entering.distinct !== undefined)
        this.values.set(entering.distinct, (this.values.get(entering.distinct) ?? 0) + 1);
      while (entering.time - (hits[this.left] as Hit).time > this.within) {
        const leaving = (hits[this.left] as Hit).distinct;
        if (leaving !== undefined) {
          const n = (this.values.get(leaving) ?? 1) - 1;
          if (n === 0) this.values.delete(leaving);
          else this.values.set(leaving, n);
        }
        this.left++;
      }
      const size = this.distinct ? this.values.size : right - this.left + 1;
      if (size < this.threshold) continue;
      for (let i = Math.max(this.left, this.markedUpTo); i <= right; i++) this.marked.push(hits[i] as Hit);
      this.markedUpTo = right + 1;
    }
  }

  found(): readonly Hit[] {
    return this.marked;
  }
}

/**
 * The hits of every completed sequence: for each event of the last step, the latest events of
 * each earlier step (at least `min` of each, each step strictly before the next) within `within`
 * of it. Taking the latest candidates first finds a chain whenever one exists. Each step's hits
 * are kept apart, so a closing event looks only at the candidates of the step it needs (a group
 * with thousands of sign-ins and no failure found its chains in time quadratic in its size).
 */
class SequenceScan implements GroupScan, SequenceSearch {
  /** Hits in a completed chain, by event and step. */
  private readonly used = new Map<number, Hit>();
  /** Per step, the indexes of its hits, ascending. */
  readonly byStep: number[][];

  readonly steps: readonly { min: number }[];
  readonly within: number;

  constructor(steps: readonly { min: number }[], within: number) {
    this.steps = steps;
    this.within = within;
    this.byStep = steps.map(() => []);
  }

  scan(hits: readonly Hit[], from: number): void {
    const last = this.steps.length - 1;
    for (let end = from; end < hits.length; end++) {
      const closing = hits[end] as Hit;
      this.byStep[closing.step]?.push(end);
      if (closing.step !== last) continue;
      const chain = chainEndingAt(this, (i) => hits[i] as Hit, end, 0);
      if (chain) for (const h of chain) this.used.set(h.seq * 64 + h.step, h);
    }
  }

  found(): Hit[] {
    const seen = new Set<number>();
    return [...this.used.values()].sort(byTime).filter((h) => !seen.has(h.seq) && seen.add(h.seq));
  }
}

/** What the search for a sequence's chain reads: its steps, window, and each step's hits. */
export interface SequenceSearch {
  readonly steps: readonly { min: number }[];
  readonly within: number;
  /** Per step, the positions of its hits, ascending. */
  readonly byStep: readonly (readonly number[])[];
}

/**
 * The chain a closing hit (at position `end`) completes, if any: for each step from the last,
 * the latest hits of that step (`min` of them, none an event already in the chain) within
 * `within` of the closing one, each step strictly earlier in time than the next. `at` reads the
 * hit at a position; positions before `first` are no longer there (all further back than `within`).
 */
export function chainEndingAt<H extends Placed>(
  search: SequenceSearch,
  at: (position: number) => H,
  end: number,
  first: number,
): H[] | undefined {
  const closing = at(end);
  const chain: H[] = [];
  let boundary = end + 1; // candidates lie before this position
  for (let step = search.steps.length - 1; step >= 0; step--) {
    const need = (search.steps[step] as { min: number }).min;
    const candidates = search.byStep[step] as readonly number[];
    let picked = 0;
    let lowest = boundary;
    for (let k = lastBelow(candidates, boundary); k >= 0 && picked < need; k--) {
      const i = candidates[k] as number;
      // Hits are in time order: every earlier candidate is further out of the window too.
      if (i < first) break;
      const h = at(i);
      if (closing.time - h.time > search.within) break;
      if (chain.some((c) => c.seq === h.seq)) continue;
      chain.push(h);
      picked++;
      lowest = i;
    }
    if (picked < need) return undefined;
    boundary = lowest;
    // The next step's events must come strictly earlier in time than this step's first.
    while (boundary > first && at(boundary - 1).time === at(boundary).time) boundary--;
  }
  return chain;
}

/** The position of the last value below `limit` in an ascending list (-1: none). */
export function lastBelow(sorted: readonly number[], limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
