import type { KeyFilter } from '../sources/table-reader.ts';

/** Integer column types a database fills from a sequence (serial, identity, AUTO_INCREMENT). */
const INTEGER_TYPE = /^(tiny|small|medium|big)?int(eger)?(\(\d+\))?( unsigned)?$|^(small|big)?serial$/i;

export function isIntegerType(type: string): boolean {
  return INTEGER_TYPE.test(type.trim());
}

/**
 * What a tail of a table with an increasing integer key still expects to arrive: keys above the
 * highest it stored, and the keys below it it has not seen (a transaction that took a key, then
 * took its time to commit, or rolled back). With them a poll reads only new and late rows
 * (`key > highest OR key IN missing`) instead of re-reading its whole overlap window — at 20k
 * rows/s a 10 s overlap is 200,000 rows read again every poll.
 *
 * The overlap's promise is kept: a missing key is waited for as long as the overlap (in row time),
 * then forgotten, as a row older than the overlap would be. Until the tail has followed the table
 * for twice the overlap, it reads the whole window: keys below the first it saw may still commit,
 * and it cannot know which (they are older than the window after that: a row's time is taken
 * before a later key is, less than the overlap before its commit). Keys that jump by more than
 * `maxMissing` (not a sequence: random or spaced ids) or too many missing keys, and the tail
 * reads the window as before.
 */
export class KeyGaps {
  private readonly overlapMicros: number;
  private readonly maxMissing: number;
  private highest: bigint | undefined;
  /** Missing key → the row time (µs) when it was found missing. */
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
    let value: bigint;
    try {
      value = BigInt(String(key));
    } catch {
      this.notASequence = true;
      return;
    }
    if (this.highest === undefined) {
      this.highest = value;
      return;
    }
    if (value <= this.highest) {
      this.missing.delete(value);
      return;
    }
    if (value - this.highest - 1n > BigInt(this.maxMissing)) {
      this.notASequence = true;
      this.missing.clear();
      return;
    }
    for (let k = this.highest + 1n; k < value; k++) this.missing.set(k, time);
    this.highest = value;
  }

  /** After a poll: forgets keys missing for longer than the overlap before `cursor` (µs). */
  settle(cursor: number): void {
    if (this.highest !== undefined) this.startedAt ??= cursor;
    const horizon = cursor - this.overlapMicros;
    for (const [key, noticed] of this.missing) if (noticed < horizon) this.missing.delete(key);
  }

  /** The next poll's filter, or undefined: read the whole overlap window. */
  filter(cursor: number): KeyFilter | undefined {
    if (this.notASequence || this.highest === undefined || this.startedAt === undefined) return undefined;
    if (cursor - 2 * this.overlapMicros <= this.startedAt) return undefined;
    if (this.missing.size > this.maxMissing) return undefined;
    return { above: String(this.highest), missing: [...this.missing.keys()].map(String) };
  }
}
