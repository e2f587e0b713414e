import { useEffect, useRef, useState } from 'react';
import type { EventQuery } from '../../../../shared/domain/query.ts';
import { call, onPush } from '../../lib/api.ts';
import { useLive } from '../../stores/live.ts';
import { useImports } from '../../stores/imports.ts';
import { useCase } from '../../stores/case.ts';

/**
 * The view follows new events at most this often (the tails store them as fast as they come),
 * and never while the last refresh is still being answered: on a large case it paces itself.
 */
const REFRESH_MS = 150;
/** Paused or scrolled away, the "N new events" count is asked at most this often. */
const COUNT_NEW_MS = 1000;

/**
 * Keeps Logs in step with the files and tables followed into the case: while following (not
 * paused, the table at its newest rows) the results refresh as events are stored, at most every
 * REFRESH_MS and never while the last refresh is unanswered;
 * otherwise the view stays put and `newEvents` says exactly how many events matching the search
 * arrived since it was last refreshed.
 */
export function useLiveView(
  query: EventQuery,
  /** The table's count, for "N new events"; undefined until it has one. */
  shownCount: number | undefined,
  /** False while the table is (re)asked: the next refresh waits for its answer (rows or error). */
  settled: boolean,
  // Only Logs follows: the other views (the dashboard, the alerts) take seconds to compute on a
  // large case and refresh when the analyst comes back to them.
  enabled: boolean,
): { newEvents: number } {
  const casePath = useCase((s) => s.info?.path);
  const stored = useLive((s) => Object.values(s.tails).reduce((n, t) => n + t.events, 0));
  const paused = useLive((s) => s.paused);
  const atNewest = useLive((s) => s.atNewest);
  const [newEvents, setNewEvents] = useState(0);
  const last = useRef({ at: 0, stored: 0, timer: undefined as ReturnType<typeof setTimeout> | undefined });

  useEffect(() => onPush('tail.status', (status) => useLive.getState().update(status)), []);
  useEffect(() => {
    useLive.getState().reset();
    if (!casePath) return;
    call('tail.list').then(
      (tails) => tails.forEach((t) => useLive.getState().seed(t)),
      () => undefined,
    );
  }, [casePath]);

  const following = !paused && atNewest;
  const queryKey = JSON.stringify(query);
  useEffect(() => {
    const state = last.current;
    if (!enabled || (stored === state.stored && following)) return;
    if (following && !settled) return;
    const run = (): void => {
      state.at = Date.now();
      state.timer = undefined;
      state.stored = stored;
      if (following) {
        setNewEvents(0);
        useImports.getState().requery();
      } else if (shownCount !== undefined)
        call('query.total', JSON.parse(queryKey) as EventQuery).then(
          (total) => setNewEvents(Math.max(0, total - shownCount)),
          () => undefined,
        );
    };
    clearTimeout(state.timer);
    const pace = following ? REFRESH_MS : COUNT_NEW_MS;
    state.timer = setTimeout(run, Math.max(0, pace - (Date.now() - state.at)));
    return () => clearTimeout(state.timer);
  }, [stored, following, queryKey, shownCount, settled, enabled]);
  return { newEvents: following ? 0 : newEvents };
}
