// Sigma correlations over a live tail, settled and trimmed as the grace passes, give the hits of
// the same correlation over every match at once: random streams (ties, two groups, two rules,
// some matches late enough to force a new read) through each correlation type, with a timespan
// and grace small enough that every few matches cross a settled boundary.
import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.ts';
import { tallyOf } from '../../../test/support/rule-streams.ts';
import { LiveCorrelations } from './live-correlations.ts';
import { longerGrace } from './live-rule-state.ts';
import { correlate, type Match } from './run-rules.ts';
import type { CorrelationRule, SigmaRule } from './sigma-rule.ts';

const base = (name: string): SigmaRule => ({
  kind: 'sigma',
  file: 'test',
  id: name,
  name,
  title: name,
  level: 'low',
  logsource: {},
  detection: {},
  condition: 'selection',
});
const A = base('a');
const B = base('b');
const byName = new Map([
  ['a', A],
  ['b', B],
]);

const correlation = (
  type: CorrelationRule['type'],
  condition: CorrelationRule['condition'],
  rules = ['a'],
): CorrelationRule => ({
  kind: 'sigma-correlation',
  file: 'test',
  id: `${type}-${condition.op}-${condition.value}`,
  title: type,
  level: 'low',
  type,
  rules,
  groupBy: ['user'],
  timespan: 5,
  condition,
  aliases: {},
});

const RULES = [
  correlation('event_count', { op: 'gte', value: 4 }),
  correlation('event_count', { op: 'lt', value: 2 }),
  correlation('value_count', { op: 'gte', value: 3, field: 'host' }),
  correlation('temporal', { op: 'gte', value: 2 }, ['a', 'b']),
  correlation('temporal_ordered', { op: 'gte', value: 2 }, ['a', 'b']),
];

describe('a live correlation', () => {
  it('adds up what the correlation finds over every match, late ones and new reads included', () => {
    let rebuilds = 0;
    let trimmed = 0;
    for (const rule of RULES)
      for (let seed = 1; seed <= 25; seed++) {
        const next = prng(seed);
        // Matches of both rules, in arrival order: mostly in time order, one in ten late.
        const arrivals: { rule: SigmaRule; match: Match; arrives: number }[] = [];
        let time = 100;
        for (let seq = 1; seq <= 500; seq++) {
          time += Math.floor(next() * 3);
          const match: Match = {
            seq,
            id: `e${seq}`,
            time,
            fields: { user: `u${Math.floor(next() * 2)}`, host: `h${Math.floor(next() * 4)}` },
          };
          const late = next() < 0.1 ? Math.floor(next() * 15) : 0;
          arrivals.push({ rule: next() < 0.6 ? A : B, match, arrives: time + late });
        }
        arrivals.sort((x, y) => x.arrives - y.arrives || x.match.seq - y.match.seq);
        const bases = rule.rules.map((name) => byName.get(name) as SigmaRule);
        const all = new Map<SigmaRule, Match[]>([
          [A, []],
          [B, []],
        ]);
        let kept = new Map<SigmaRule, Match[]>([
          [A, []],
          [B, []],
        ]);
        let live = new LiveCorrelations([{ rule, bases }], 2, () => Infinity);
        for (let at = 0; at < arrivals.length;) {
          const batch = arrivals.slice(at, (at += 1 + Math.floor(next() * 20)));
          for (const { rule: r, match } of batch) {
            (all.get(r) as Match[]).push(match);
            (kept.get(r) as Match[]).push(match);
            live.take(r, match.time);
          }
          if (live.lateBy > 0) {
            // What SigmaEngine does: every match again, with a longer grace.
            rebuilds++;
            live = new LiveCorrelations(
              [{ rule, bases }],
              longerGrace(live.graceMicros, live.lateBy),
              () => Infinity,
            );
            kept = new Map([...all].map(([r, found]) => [r, [...found]]));
            for (const [r, found] of kept) for (const m of found) live.take(r, m.time);
          }
          live.settle((c) => correlate(c, byName, kept), kept);
          const size = (m: Map<SigmaRule, Match[]>): number =>
            [...m.values()].reduce((n, f) => n + f.length, 0);
          trimmed += size(all) - size(kept);
          const { count, first, last, newestSeq } = live.tally(rule, correlate(rule, byName, kept));
          expect(
            count === 0 ? { count } : { count, first, last, newestSeq },
            `${rule.id} seed ${seed} at ${at}`,
          ).toEqual(tallyOf(correlate(rule, byName, all)));
        }
      }
    // Both roads were taken: matches were dropped as settled, and late ones forced new reads.
    expect(trimmed).toBeGreaterThan(10_000);
    expect(rebuilds).toBeGreaterThan(20);
  });
});
