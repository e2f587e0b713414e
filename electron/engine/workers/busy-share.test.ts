import { describe, expect, it } from 'vitest';
import { BusyShare } from './busy-share.ts';

describe('BusyShare', () => {
  it('is the part of the window the spans cover, counting only what falls inside it', () => {
    const busy = new BusyShare(1000);
    expect(busy.share(5000)).toBe(0);
    busy.add(3000, 3900); // ended before the window
    busy.add(4200, 4500); // 300 ms inside
    busy.add(3800, 4100); // 100 ms of it inside
    expect(busy.share(5000)).toBeCloseTo(0.4);
    // Later, the older spans leave the window.
    expect(busy.share(5250)).toBeCloseTo(0.25);
    expect(busy.share(6000)).toBe(0);
  });

  it('never exceeds the whole window', () => {
    const busy = new BusyShare(1000);
    busy.add(0, 2000);
    busy.add(500, 1500);
    expect(busy.share(2000)).toBe(1);
  });
});
