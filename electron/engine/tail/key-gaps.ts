import type { KeyFilter } from '../sources/table-reader.ts';

/**
 * What a tail of a table whose key the server hands out in increasing order (see
 * TableReader.sequenceKey) still expects to arrive: keys above the highest it stored, and the
 * keys below it it has not seen (a transaction that took a key, then took its time to commit, or
 * rolled back). With them a poll reads only new and late rows (`key > highest OR key IN
 * missing`) instead of re-reading its whole overlap window — at 20k rows/s a 10 s overlap is
 * 200,000 rows read again every poll.
 *
 * The overlap's promise is kept: a row commits within the overlap of its own time. A missing key
 * was taken before the key that showed it missing was, so its row's time is at most an overlap
 * past that row's time (its transaction may have started later: `now()` is a transaction's
 * start); it is waited for until twice the overlap has passed, then forgotten, as a row older
 * than the overlap would be. For the same reason, until the tail has followed the table for twice
 * the overlap, it reads the whole window: keys below the first it saw may still commit. Keys that
 * jump by more than `maxMissing`, too many missing keys, or a row the key filter would have left
 * out (`abandon`: keys reset by `TRUNCATE … RESTART IDENTITY`, ids the application wrote), and the
 * tail reads the window as before, for good.
 */
export class KeyGaps {
  private readonly overlapMicros: number;
  private readonly maxMissing: number;
  private highest: bigint | undefined;
  /** Missing key → the row time (µs) of the row that showed it missing. */
  private readonly missing = new Map<bigint, number>();
  /** The cursor (µs) when the first poll had read: the window is read until 2 overlaps past it. */
  private startedAt: number | undefined;
  private notASequence = false;

  constructor(overlapMicros: number, maxMissing = 1000) {
    this.overlapMicros = overlapMicros;
    this.maxMissing = maxMissing;
  }

  /** A row read (stored now or before), in the order read: its key and its time (µs). */
  note(key: unknown, time: number): void {
    if (this.notASequence) return;
    const value = integer(key);
    if (value === undefined) return this.abandon();
    if (this.highest === undefined) {
      this.highest = value;
      return;
    }
    if (value <= this.highest) {
      this.missing.delete(value);
      return;
    }
    if (value - this.highest - 1n > BigInt(this.maxMissing)) return this.abandon();
    for (let k = this.highest + 1n; k < value; k++) this.missing.set(k, time);
    this.highest = value;
  }

  /** After a poll: forgets keys missing for longer than twice the overlap before `cursor` (µs). */
  settle(cursor: number): void {
    if (this.highest !== undefined) this.startedAt ??= cursor;
    const horizon = cursor - 2 * this.overlapMicros;
    for (const [key, noticed] of this.missing) if (noticed < horizon) this.missing.delete(key);
  }

  /** The next poll's filter, or undefined: read the whole overlap window. */
  filter(cursor: number): KeyFilter | undefined {
    if (this.notASequence || this.highest === undefined || this.startedAt === undefined) return undefined;
    if (cursor - 2 * this.overlapMicros <= this.startedAt) return undefined;
    if (this.missing.size > this.maxMissing) return undefined;
    return { above: String(this.highest), missing: [...this.missing.keys()].map(String) };
  }

  /** The keys do not behave as a sequence: the window is read from now on. */
  abandon(): void {
    this.notASequence = true;
    this.missing.clear();
  }
}

/** Whether a poll with this filter would have read a row, by its key (missing keys looked up once). */
export function readsKey(filter: KeyFilter): (key: unknown) => boolean {
  const above = BigInt(filter.above);
  const missing = new Set(filter.missing);
  return (key) => {
    const value = integer(key);
    return value === undefined || value > above || missing.has(String(value));
  };
}

/** A key as an integer, or undefined when it is not one. */
export function integer(key: unknown): bigint | undefined {
  try {
    return BigInt(String(key));
  } catch {
    return undefined;
  }
}
