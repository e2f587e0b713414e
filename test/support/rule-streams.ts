// Small rules and random streams of their hits, shared by the tests of the rules' scans (whole
// case and live): a few users over a short time, ties on purpose, some events on both steps of a
// sequence, some arriving late.
import type { AlertRule } from '../../shared/domain/alert.ts';
import { prng } from './prng.ts';

/** One event as a rule's searches matched it: which step, where, when, and its fields. */
export interface Matched {
  step: number;
  seq: number;
  time: number;
  user: string;
  host: string;
}

/**
 * `count` events of four users on five hosts, in the order they arrive: in time order, but one in
 * five arrives up to `lateness` later than its time (none when 0).
 */
export function ruleStream(seed: number, count: number, lateness = 0): Matched[] {
  const next = prng(seed);
  const out: (Matched & { arrives: number })[] = [];
  let time = 1000;
  for (let seq = 1; seq <= count; seq++) {
    time += Math.floor(next() * 3); // 0: same time as the event before
    const user = `u${Math.floor(next() * 4)}`;
    const host = `h${Math.floor(next() * 5)}`;
    const arrives = time + (next() < 0.2 ? Math.floor(next() * lateness) : 0);
    const r = next();
    if (r < 0.45 || r > 0.9) out.push({ step: 0, seq, time, user, host, arrives });
    if (r >= 0.45) out.push({ step: 1, seq, time, user, host, arrives });
  }
  return out
    .sort((a, b) => a.arrives - b.arrives || a.seq - b.seq || a.step - b.step)
    .map(({ arrives: _arrives, ...m }) => m);
}

/** One rule of each type, grouped by user (distinct: hosts; sequence: two of step a, then b). */
export const SAMPLE_RULES: AlertRule[] = [
  {
    id: 't',
    title: 't',
    level: 'low',
    file: 'test',
    type: 'threshold',
    groupBy: ['user'],
    threshold: 3,
    within: 4,
  },
  {
    id: 'd',
    title: 'd',
    level: 'low',
    file: 'test',
    type: 'distinct',
    groupBy: ['user'],
    distinct: 'host',
    threshold: 3,
    within: 6,
  },
  {
    id: 's',
    title: 's',
    level: 'low',
    file: 'test',
    type: 'sequence',
    groupBy: ['user'],
    within: 5,
    steps: [
      { search: 'a', min: 2 },
      { search: 'b', min: 1 },
    ],
  },
  { id: 'e', title: 'e', level: 'low', file: 'test', type: 'event', groupBy: ['user'] },
];

/** Hands a rule's state the events its searches matched (threshold, distinct, event: step 0 only). */
export function feed(
  state: {
    rule: AlertRule;
    take(step: number, seq: number, id: string, time: number, valueOf: (field: string) => unknown): void;
  },
  hits: readonly Matched[],
): void {
  for (const h of hits) {
    if (!state.rule.steps && h.step !== 0) continue;
    state.take(h.step, h.seq, `id${h.seq}`, h.time, (field) => (field === 'user' ? h.user : h.host));
  }
}

/** What a live tally says of a list of found events: how many, first and last time, newest position. */
export function tallyOf(found: readonly { time: number; seq: number }[]) {
  if (found.length === 0) return { count: 0 };
  return {
    count: found.length,
    first: Math.min(...found.map((m) => m.time)),
    last: Math.max(...found.map((m) => m.time)),
    newestSeq: Math.max(...found.map((m) => m.seq)),
  };
}
