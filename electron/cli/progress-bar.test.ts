import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress } from './progress-bar.ts';

const progress = {
  jobId: 'j',
  path: '/x.ndjson',
  status: 'running' as const,
  format: 'okta',
  accepted: 90_000,
  duplicates: 10_000,
  rejected: 3,
  bytesRead: 50_000_000,
  totalBytes: 200_000_000,
  elapsedMs: 2_000,
};

describe('import progress line', () => {
  it('shows the bar, events/s, MB/s, ETA and rejects', () => {
    const line = formatProgress(progress, 1, 1);
    expect(line).toContain('███████░░░░░░░░░░░░░░░░░░░░░  25%');
    expect(line).toContain('100.0k events');
    expect(line).toContain('50.0k/s');
    expect(line).toContain('25.0 MB/s');
    expect(line).toContain('ETA 6s');
    expect(line).toContain('3 rejected');
  });

  it('formats durations', () => {
    expect(formatDuration(0.2)).toBe('1s');
    expect(formatDuration(125)).toBe('2m05s');
  });
});
