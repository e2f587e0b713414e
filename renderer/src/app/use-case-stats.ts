import { useEffect, useState } from 'react';
import type { CaseCounts } from '../../../shared/domain/case.ts';
import { call, onPush } from '../lib/api.ts';

/** The header's counts are asked at most this often: each answer counts every event. */
const STATS_EVERY_MS = 1000;

/**
 * The open case's counts for the header (`case.counts`: no breakdowns), asked again when its data
 * changes (`version`) and when the free-text index catches up — one request at a time and at
 * most once a second: a live tail changes the data and finishes indexing several times a second,
 * and each request counts every event, on the thread that also answers the table.
 */
export function useCaseStats(version: number): { stats: CaseCounts | null; error: string | null } {
  const [stats, setStats] = useState<CaseCounts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pacer] = useState(() =>
    pacedCalls(STATS_EVERY_MS, () =>
      call('case.counts').then(
        (next) => {
          setStats(next);
          setError(null);
        },
        (e: Error) => setError(e.message),
      ),
    ),
  );
  // "indexing text…" ends when the background index is done, not at the next import.
  useEffect(() => onPush('fts.progress', (status) => status.ready && pacer.ask()), [pacer]);
  useEffect(() => pacer.ask(), [version, pacer]);
  useEffect(() => () => pacer.stop(), [pacer]);
  return { stats, error };
}

/**
 * `run`, asked for any number of times: never two at once (asked meanwhile, it runs once more
 * after), and starting at most every `everyMs`.
 */
function pacedCalls(everyMs: number, run: () => Promise<void>): { ask(): void; stop(): void } {
  let running = false;
  let again = false;
  let startedAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ask = (): void => {
    if (running) {
      again = true;
      return;
    }
    if (timer !== undefined) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        running = true;
        startedAt = Date.now();
        void run().finally(() => {
          running = false;
          if (!again) return;
          again = false;
          ask();
        });
      },
      Math.max(0, startedAt + everyMs - Date.now()),
    );
  };
  return { ask, stop: () => clearTimeout(timer) };
}
