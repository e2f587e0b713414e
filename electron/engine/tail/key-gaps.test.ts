import { describe, expect, it } from 'vitest';
import { KeyGaps, readsKey } from './key-gaps.ts';

const S = 1e6; // µs

describe('the keys a tail still expects', () => {
  it('reads the whole overlap until it has followed for twice the overlap, then new and missing keys only', () => {
    const gaps = new KeyGaps(10 * S);
    for (const [key, time] of [
      [1, 100],
      [2, 100],
      [5, 101],
      [3, 101],
    ] as const)
      gaps.note(key, time * S);
    gaps.settle(101 * S);
    // Keys below the first seen may still commit: not before 101 s + 2 × 10 s.
    expect(gaps.filter(110 * S)).toBeUndefined();
    expect(gaps.filter(121 * S)).toBeUndefined();
    expect(gaps.filter(121 * S + 1)).toEqual({ above: '5', missing: ['4'] });
    // The late row arrives: nothing is missing any more.
    gaps.note('4', 102 * S);
    expect(gaps.filter(122 * S)).toEqual({ above: '5', missing: [] });
  });

  it('waits for a missing key twice the overlap, then forgets it (a rollback)', () => {
    // Twice: the late row's transaction may have started after the row that showed it missing.
    const gaps = new KeyGaps(10 * S);
    gaps.note(1n, 0);
    gaps.note(3n, 1 * S);
    gaps.settle(1 * S);
    gaps.settle(21 * S);
    expect(gaps.filter(30 * S)).toEqual({ above: '3', missing: ['2'] });
    gaps.settle(21 * S + 1);
    expect(gaps.filter(30 * S)).toEqual({ above: '3', missing: [] });
  });

  it('says which rows a filter reads, and reads the window for good once abandoned', () => {
    const filter = { above: '10', missing: ['4'] };
    expect([11, '4', 4n, 10, 3].map(readsKey(filter))).toEqual([true, true, true, false, false]);
    const gaps = new KeyGaps(S);
    gaps.note(1, 0);
    gaps.settle(0);
    expect(gaps.filter(3 * S)).toBeDefined();
    gaps.abandon();
    gaps.note(2, 0);
    expect(gaps.filter(10 * S)).toBeUndefined();
  });

  it('keeps big integers exact', () => {
    const gaps = new KeyGaps(S);
    gaps.note('9007199254740993', 0);
    gaps.note('9007199254740995', 0);
    gaps.settle(0);
    expect(gaps.filter(3 * S)).toEqual({ above: '9007199254740995', missing: ['9007199254740994'] });
  });

  it('reads the overlap as before when the keys are not a sequence', () => {
    const spaced = new KeyGaps(S, 100);
    spaced.note(1, 0);
    spaced.note(5000, 0);
    spaced.settle(0);
    expect(spaced.filter(10 * S)).toBeUndefined();
    const text = new KeyGaps(S);
    text.note('a9f3', 0);
    text.settle(0);
    expect(text.filter(10 * S)).toBeUndefined();
    const busy = new KeyGaps(S, 3);
    busy.note(1, 0);
    for (const key of [3, 5, 7, 9]) busy.note(key, 0);
    busy.settle(0);
    expect(busy.filter(10 * S)).toBeUndefined();
  });
});
