import { create } from 'zustand';
import type { TailStatus } from '../../../shared/domain/tail.ts';

/** Seconds of event rate kept for the sparkline. */
export const RATE_SECONDS = 60;

interface LiveState {
  /** Files followed into the open case, by path. */
  tails: Record<string, TailStatus>;
  /** Events stored per second over the last RATE_SECONDS (all tails), the newest last. */
  rate: number[];
  /** The second `rate`'s last entry is for (epoch s). */
  rateSecond: number;
  /** The view stops refreshing (the tails keep storing): what arrives meanwhile is counted. */
  paused: boolean;
  /** The table is scrolled to its newest rows: new events may scroll it. */
  atNewest: boolean;
  update(status: TailStatus): void;
  /**
   * A status a call returned (follow, list): shown at once, unless a pushed status of the same
   * tail already arrived (the call's answer may come after it, and is then older).
   */
  seed(status: TailStatus): void;
  setPaused(paused: boolean): void;
  setAtNewest(atNewest: boolean): void;
  reset(): void;
}

function shift(rate: number[], from: number, to: number): number[] {
  const gap = Math.min(RATE_SECONDS, Math.max(0, to - from));
  return [...rate.slice(gap), ...Array.from({ length: gap }, () => 0)];
}

export const useLive = create<LiveState>()((set, get) => ({
  tails: {},
  rate: Array.from({ length: RATE_SECONDS }, () => 0),
  rateSecond: Math.floor(Date.now() / 1000),
  paused: false,
  atNewest: true,
  update: (status) =>
    set((state) => {
      const now = Math.floor(Date.now() / 1000);
      const rate = shift(state.rate, state.rateSecond, now);
      const before = state.tails[status.path]?.events ?? status.events;
      rate[rate.length - 1] = (rate[rate.length - 1] ?? 0) + Math.max(0, status.events - before);
      return { tails: { ...state.tails, [status.path]: status }, rate, rateSecond: now };
    }),
  seed: (status) => {
    const known = get().tails[status.path];
    if (!known || known.state === 'stopped' || known.state === 'failed') get().update(status);
  },
  setPaused: (paused) => set({ paused }),
  setAtNewest: (atNewest) => set({ atNewest }),
  reset: () =>
    set({
      tails: {},
      rate: Array.from({ length: RATE_SECONDS }, () => 0),
      rateSecond: Math.floor(Date.now() / 1000),
      paused: false,
      atNewest: true,
    }),
}));
