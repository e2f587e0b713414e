import { beforeEach, describe, expect, it, vi } from 'vitest';
import { jobTotals, useImports } from './imports.ts';

const initial = useImports.getState();
beforeEach(() => useImports.setState(initial, true));

const progress = (path: string, accepted: number, bytesRead: number, totalBytes: number | null) => ({
  jobId: 'j1',
  path,
  status: 'running' as const,
  format: 'okta',
  accepted,
  duplicates: 0,
  rejected: 0,
  bytesRead,
  totalBytes,
  elapsedMs: 0,
});

describe('import job', () => {
  it('sums progress over files and derives rates and ETA from the bytes left', () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    useImports.getState().start('j1', ['a', 'b'], 4_000_000);
    vi.setSystemTime(1_002_000);
    useImports.getState().progress(progress('/a', 1000, 1_000_000, 1_000_000));
    useImports.getState().progress(progress('/b', 500, 1_000_000, 3_000_000));
    useImports.getState().progress({ ...progress('/c', 9, 9, 9), jobId: 'other' });
    const totals = jobTotals(
      useImports.getState().job as NonNullable<ReturnType<typeof useImports.getState>['job']>,
    );
    expect(totals).toMatchObject({ events: 1500, bytesRead: 2_000_000, totalBytes: 4_000_000 });
    expect(totals.eventsPerSecond).toBe(750);
    expect(totals.megabytesPerSecond).toBe(1);
    expect(totals.etaSeconds).toBe(2);
    vi.useRealTimers();
  });

  it('bumps the data version when an import ends, so views re-query', () => {
    useImports.getState().start('j1', ['a'], 0);
    useImports.getState().fail('boom');
    expect(useImports.getState()).toMatchObject({ dataVersion: 1, job: { phase: 'failed', error: 'boom' } });
  });
});
