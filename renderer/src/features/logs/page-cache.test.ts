import { describe, expect, it, vi } from 'vitest';
import type { StoredEvent } from '../../../../shared/contract.ts';
import { PageCache } from './page-cache.ts';

const event = (seq: number) => ({ seq }) as StoredEvent;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PageCache', () => {
  it('loads a page once on demand, then serves its rows', async () => {
    const fetchRows = vi.fn(async (start: number, limit: number) =>
      Array.from({ length: limit }, (_, i) => event(start + i)),
    );
    const onLoad = vi.fn();
    const cache = new PageCache(fetchRows, onLoad, 10, 3);
    expect(cache.row(25)).toBeUndefined();
    expect(cache.row(21)).toBeUndefined();
    await flush();
    expect(fetchRows).toHaveBeenCalledTimes(1);
    expect(fetchRows).toHaveBeenCalledWith(20, 10);
    expect(onLoad).toHaveBeenCalledTimes(1);
    expect(cache.row(25)?.seq).toBe(25);
  });

  it('keeps at most maxPages pages, evicting the least recently used', async () => {
    const fetchRows = vi.fn(async (start: number, limit: number) =>
      Array.from({ length: limit }, (_, i) => event(start + i)),
    );
    const cache = new PageCache(fetchRows, () => undefined, 10, 2);
    cache.prefetch(0, 20);
    await flush();
    cache.row(0); // page 0 is now the most recent
    cache.prefetch(20, 30);
    await flush();
    expect(cache.pageCount).toBe(2);
    expect(cache.row(5)?.seq).toBe(5);
    expect(cache.row(15)).toBeUndefined();
  });

  it('drops answers that arrive after dispose, and retries a failed page later', async () => {
    let fail = true;
    const fetchRows = vi.fn(async (start: number) => {
      if (fail) throw new Error('lost');
      return [event(start)];
    });
    const cache = new PageCache(fetchRows, () => undefined, 1, 5);
    cache.row(0);
    await flush();
    fail = false;
    expect(cache.row(0)).toBeUndefined();
    await flush();
    expect(cache.row(0)?.seq).toBe(0);
    cache.dispose();
    cache.row(1);
    expect(fetchRows).toHaveBeenCalledTimes(2);
  });
});

describe('PageCache.rowsAt', () => {
  it('returns rows at any positions, fetching only the pages it lacks', async () => {
    const fetchRows = vi.fn(async (start: number, limit: number) =>
      Array.from({ length: limit }, (_, i) => event(start + i)),
    );
    const cache = new PageCache(fetchRows, () => undefined, 10, 5);
    cache.prefetch(0, 10);
    await flush();
    const rows = await cache.rowsAt([3, 4, 25, 27, 99]);
    expect(rows.map((r) => r.seq)).toEqual([3, 4, 25, 27, 99]);
    expect(fetchRows.mock.calls.map((c) => c[0])).toEqual([0, 20, 90]);
  });
});
