import { beforeEach, describe, expect, it } from 'vitest';
import type { TailStatus } from '../../../shared/domain/tail.ts';
import { useLive } from './live.ts';

const status = (state: TailStatus['state'], events: number): TailStatus => ({
  path: '/var/log/okta.ndjson',
  kind: 'file',
  state,
  events,
  duplicates: 0,
  rejected: 0,
  bytes: 0,
  rotations: 0,
  truncations: 0,
});

beforeEach(() => useLive.getState().reset());

describe('live store', () => {
  it('shows the status a follow call returned before the first push', () => {
    useLive.getState().seed(status('following', 0));
    expect(useLive.getState().tails['/var/log/okta.ndjson']?.state).toBe('following');
  });

  it('keeps a pushed status when the call’s older answer arrives after it', () => {
    useLive.getState().update(status('following', 3));
    useLive.getState().seed(status('following', 0));
    expect(useLive.getState().tails['/var/log/okta.ndjson']?.events).toBe(3);
  });

  it('replaces a stopped tail of the same file with the new one', () => {
    useLive.getState().update(status('stopped', 40));
    useLive.getState().seed(status('following', 0));
    expect(useLive.getState().tails['/var/log/okta.ndjson']).toMatchObject({ state: 'following', events: 0 });
  });
});
