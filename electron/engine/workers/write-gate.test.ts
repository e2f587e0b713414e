import { describe, expect, it } from 'vitest';
import { GatedQueue, WriteGate } from './write-gate.ts';

describe('WriteGate', () => {
  it('holds back every other writer while one holds it, then lets them run in the order they came', async () => {
    const gate = new WriteGate();
    const tail = {};
    const other = {};
    const done: string[] = [];
    const tailWrites = new GatedQueue(gate, tail);
    const otherWrites = new GatedQueue(gate, other);

    tailWrites.push(() => {
      gate.hold(tail);
      done.push('tail: begin');
    });
    otherWrites.push(() => done.push('other: batch 1'));
    otherWrites.push(() => done.push('other: batch 2'));
    const annotated = gate.run(() => done.push('annotate'));
    // The holder's own writes go on.
    tailWrites.push(() => done.push('tail: batch'));
    expect(done).toEqual(['tail: begin', 'tail: batch']);

    tailWrites.push(() => {
      done.push('tail: commit');
      gate.release(tail);
    });
    await annotated;
    expect(done).toEqual([
      'tail: begin',
      'tail: batch',
      'tail: commit',
      'other: batch 1',
      'other: batch 2',
      'annotate',
    ]);
  });

  it('keeps a waiting writer waiting when the one released before it holds the gate again', async () => {
    const gate = new WriteGate();
    const first = {};
    const second = {};
    const done: string[] = [];
    gate.hold(first);
    const secondWrites = new GatedQueue(gate, second);
    secondWrites.push(() => {
      gate.hold(second);
      done.push('second: begin');
    });
    secondWrites.push(() => done.push('second: batch'));
    let ran = false;
    const later = gate.run(() => (ran = true));
    gate.release(first);
    // The second writer took the gate: the call queued after it still waits.
    expect(done).toEqual(['second: begin', 'second: batch']);
    expect(ran).toBe(false);
    expect(() => gate.hold(first)).toThrow(/holds the case open/);
    gate.release(second);
    await later;
    expect(ran).toBe(true);
  });

  it('passes on what a gated call throws', async () => {
    const gate = new WriteGate();
    await expect(
      gate.run(() => {
        throw new Error('no case is open');
      }),
    ).rejects.toThrow('no case is open');
  });
});
