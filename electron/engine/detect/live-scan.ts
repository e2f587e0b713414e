import {
  chainEndingAt,
  lastBelow,
  type Placed,
  type ScannedRule,
  type SequenceSearch,
} from './group-scan.ts';

/**
 * The scans of group-scan.ts as a live tail needs them: fed one hit at a time in scan order, they
 * keep only what a later hit can still change, and count what they found instead of listing it.
 * Each gives exactly the count, first and last time of its GroupScan twin's `found` over the same
 * hits (live-scan.test.ts compares them), in memory that does not grow with the hits read:
 * threshold keeps its last `threshold` hits; distinct its last `threshold` values and the
 * unmarked hits inside its window; sequence the hits inside its window (a chain looks back
 * `within` at most).
 */

/** A hit as a live scan needs it: no event id, no group values (the group holds those). */
export interface LiveHit extends Placed {
  distinct?: string;
}

/** What a live alert says of its events: how many, the first and last time, the newest position. */
export class Tally {
  count = 0;
  first = Infinity;
  last = -Infinity;
  newestSeq = 0;

  add(time: number, seq: number): void {
    this.count++;
    if (time < this.first) this.first = time;
    if (time > this.last) this.last = time;
    if (seq > this.newestSeq) this.newestSeq = seq;
  }

  copy(): Tally {
    return Object.assign(new Tally(), this);
  }
}

export interface StreamScan {
  /** Reads the next hit; every hit comes after the ones before it in scan order. */
  push(hit: LiveHit): void;
  /** The events of the group's alert so far. */
  readonly tally: Tally;
  /** An independent copy (a tail's hits still inside its grace period are read on a copy). */
  copy(): StreamScan;
  /** How many hits it keeps (what the bound tests measure). */
  kept(): number;
}

/** A rule's live scan; `tally`: what earlier hits, no longer needed, counted (it is shared). */
export function streamScan(rule: ScannedRule, tally = new Tally()): StreamScan {
  const { type, within = 0, threshold = 1 } = rule;
  if (type === 'event') return new EventStream(tally);
  if (type === 'sequence') return new SequenceStream(rule.steps ?? [], within, tally);
  if (type === 'distinct') return new DistinctStream(within, threshold, tally);
  return new ThresholdStream(within, Math.max(1, threshold), tally);
}

class EventStream implements StreamScan {
  readonly tally: Tally;

  constructor(tally: Tally) {
    this.tally = tally;
  }

  push(hit: LiveHit): void {
    this.tally.add(hit.time, hit.seq);
  }

  copy(): StreamScan {
    return new EventStream(this.tally.copy());
  }

  kept(): number {
    return 0;
  }
}

/** What the threshold and distinct scans share: a window, how many it takes, and the tally. */
abstract class WindowStream {
  readonly tally: Tally;
  protected readonly within: number;
  protected readonly threshold: number;

  constructor(within: number, threshold: number, tally: Tally) {
    this.within = within;
    this.threshold = threshold;
    this.tally = tally;
  }
}

/**
 * Threshold: the window holds `threshold` hits exactly when the `threshold`-th last hit is inside
 * it, so the last `threshold` hits are all it reads. A hit further back can no longer be marked:
 * the first window to hold with it holds with exactly `threshold` hits (had it more, the window
 * of the hit before would have held with it already), so it was among the last `threshold` then.
 */
class ThresholdStream extends WindowStream implements StreamScan {
  private recent: { hit: LiveHit; marked: boolean }[] = [];

  push(hit: LiveHit): void {
    this.recent.push({ hit, marked: false });
    if (this.recent.length > this.threshold) this.recent.shift();
    const oldest = this.recent[0] as { hit: LiveHit };
    if (this.recent.length < this.threshold || hit.time - oldest.hit.time > this.within) return;
    for (const r of this.recent)
      if (!r.marked) {
        r.marked = true;
        this.tally.add(r.hit.time, r.hit.seq);
      }
  }

  copy(): StreamScan {
    const copy = new ThresholdStream(this.within, this.threshold, this.tally.copy());
    copy.recent = this.recent.map((r) => ({ ...r }));
    return copy;
  }

  kept(): number {
    return this.recent.length;
  }
}

/**
 * Distinct: the last `threshold` values seen, each with the last time it was seen (a Map kept in
 * the order of those times: the window holds enough values exactly when its oldest is inside;
 * a value seen again comes back to the end), and the hits not yet marked that are still inside
 * the window: a hit that leaves it unmarked stays unmarked.
 */
class DistinctStream extends WindowStream implements StreamScan {
  private seen = new Map<string, number>();
  private pending = new Queue();

  push(hit: LiveHit): void {
    if (hit.distinct !== undefined) {
      this.seen.delete(hit.distinct);
      this.seen.set(hit.distinct, hit.time);
      if (this.seen.size > this.threshold) this.seen.delete(this.seen.keys().next().value as string);
    }
    const from = hit.time - this.within;
    for (const [value, time] of this.seen) {
      if (time >= from) break;
      this.seen.delete(value);
    }
    this.pending.push(hit.time, hit.seq);
    while (this.pending.size() > 0 && this.pending.firstTime() < from) this.pending.shift();
    if (this.seen.size < this.threshold) return;
    this.pending.drain((time, seq) => this.tally.add(time, seq));
  }

  copy(): StreamScan {
    const copy = new DistinctStream(this.within, this.threshold, this.tally.copy());
    copy.seen = new Map(this.seen);
    copy.pending = this.pending.copy();
    return copy;
  }

  kept(): number {
    return this.seen.size + this.pending.size();
  }
}

/**
 * The fewest entries worth cutting from the front of an array. The cut copies what is left, so
 * it waits until the front is half the array (each entry is copied about once); past that, a
 * few, not thousands: a tail has thousands of groups, and the entries waiting to be cut are
 * memory held for nothing (1,024 a group held ~40 MB for the long-tail bench's 500 accounts).
 */
const MIN_CUT = 16;

/** Times and positions, first in first out, as plain number arrays (no object per entry). */
class Queue {
  private times: number[] = [];
  private seqs: number[] = [];
  private head = 0;

  push(time: number, seq: number): void {
    this.times.push(time);
    this.seqs.push(seq);
  }

  size(): number {
    return this.times.length - this.head;
  }

  firstTime(): number {
    return this.times[this.head] as number;
  }

  shift(): void {
    this.head++;
    if (this.head >= MIN_CUT && this.head * 2 >= this.times.length) this.compact();
  }

  drain(each: (time: number, seq: number) => void): void {
    for (let i = this.head; i < this.times.length; i++) each(this.times[i] as number, this.seqs[i] as number);
    this.times = [];
    this.seqs = [];
    this.head = 0;
  }

  copy(): Queue {
    const copy = new Queue();
    copy.times = this.times.slice(this.head);
    copy.seqs = this.seqs.slice(this.head);
    return copy;
  }

  private compact(): void {
    this.times = this.times.slice(this.head);
    this.seqs = this.seqs.slice(this.head);
    this.head = 0;
  }
}

/**
 * Sequence: SequenceScan's search (chainEndingAt) over the hits of the last `within`, which is as
 * far back as a chain reaches. Positions count from the first hit ever read; the hits before
 * `first` are forgotten, and arrays are cut from the front only now and then (see Queue).
 */
class SequenceStream implements StreamScan, SequenceSearch {
  readonly tally: Tally;
  private hits: LiveHit[] = [];
  /** The position of `hits[0]`, and of the first hit still kept. */
  private base = 0;
  private first = 0;
  /** Per step, the positions of its hits, ascending (those before `first` are ignored). */
  byStep: number[][];
  /** Hits in a completed chain (by event and step) and the events counted, among those kept. */
  private used = new Set<number>();
  private counted = new Set<number>();

  readonly steps: readonly { min: number }[];
  readonly within: number;

  constructor(steps: readonly { min: number }[], within: number, tally: Tally) {
    this.steps = steps;
    this.within = within;
    this.tally = tally;
    this.byStep = steps.map(() => []);
  }

  push(hit: LiveHit): void {
    this.forgetBefore(hit.time - this.within);
    const position = this.base + this.hits.length;
    this.hits.push(hit);
    this.byStep[hit.step]?.push(position);
    if (hit.step !== this.steps.length - 1) return;
    for (const h of chainEndingAt(this, (i) => this.at(i), position, this.first) ?? []) {
      const key = h.seq * 64 + h.step;
      if (this.used.has(key)) continue;
      this.used.add(key);
      // An event that matched two steps is one event of the alert.
      if (this.counted.has(h.seq)) continue;
      this.counted.add(h.seq);
      this.tally.add(h.time, h.seq);
    }
  }

  private at(position: number): LiveHit {
    return this.hits[position - this.base] as LiveHit;
  }

  /** Forgets the hits before `time`: every closing from now on is too far from them. */
  private forgetBefore(time: number): void {
    const end = this.base + this.hits.length;
    while (this.first < end && this.at(this.first).time < time) {
      const h = this.at(this.first);
      this.used.delete(h.seq * 64 + h.step);
      this.counted.delete(h.seq);
      this.first++;
    }
    const forgotten = this.first - this.base;
    if (forgotten < MIN_CUT || forgotten * 2 < this.hits.length) return;
    this.hits = this.hits.slice(forgotten);
    this.base = this.first;
    this.byStep = this.byStep.map((positions) => positions.slice(lastBelow(positions, this.first) + 1));
  }

  copy(): StreamScan {
    const copy = new SequenceStream(this.steps, this.within, this.tally.copy());
    copy.hits = this.hits.slice(this.first - this.base);
    copy.base = this.first;
    copy.first = this.first;
    copy.byStep = this.byStep.map((positions) => positions.slice(lastBelow(positions, this.first) + 1));
    copy.used = new Set(this.used);
    copy.counted = new Set(this.counted);
    return copy;
  }

  kept(): number {
    return this.base + this.hits.length - this.first;
  }
}
