// A tail's rules in bounded memory give the alerts of the whole-case rules: each live scan against
// its GroupScan twin over random hit streams (ties, repeats, both steps of one event), then a
// rule's live state fed late and out of order against AlertRuleState over the same hits, and the
// memory each keeps over a long stream.
import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.ts';
import { feed, ruleStream, SAMPLE_RULES, tallyOf } from '../../../test/support/rule-streams.ts';
import { AlertRuleState } from './alert-rules.ts';
import { groupScan, scanOrder, type Hit, type ScannedRule } from './group-scan.ts';
import { streamScan, type LiveHit } from './live-scan.ts';
import { LiveRuleState } from './live-rule-state.ts';

/** One group's hits in scan order: times with ties and gaps, values repeated, events on both steps. */
function groupHits(seed: number, count: number, steps: number): Hit[] {
  const next = prng(seed);
  const hits: Hit[] = [];
  let time = 0;
  for (let seq = 1; hits.length < count; seq++) {
    time += next() < 0.3 ? 0 : Math.floor(next() * (next() < 0.05 ? 40 : 4));
    const distinct = `v${Math.floor(next() * 5)}`;
    for (let step = 0; step < steps; step++)
      if (next() < 0.6 || step === steps - 1)
        hits.push({ seq, id: `e${seq}`, time, step, values: ['g'], distinct });
  }
  return hits.sort(scanOrder);
}

const SCANNED: ScannedRule[] = [
  { type: 'event' },
  { type: 'threshold', threshold: 1, within: 0 },
  { type: 'threshold', threshold: 3, within: 4 },
  { type: 'threshold', threshold: 6, within: 10 },
  { type: 'distinct', threshold: 2, within: 3 },
  { type: 'distinct', threshold: 4, within: 12 },
  { type: 'sequence', within: 5, steps: [{ min: 2 }, { min: 1 }] },
  { type: 'sequence', within: 8, steps: [{ min: 1 }, { min: 2 }, { min: 1 }] },
  { type: 'sequence', within: 0, steps: [{ min: 1 }, { min: 1 }] },
];

describe('a live scan', () => {
  it('counts what its GroupScan twin finds, after every hit', () => {
    for (const rule of SCANNED)
      for (let seed = 1; seed <= 30; seed++) {
        const hits = groupHits(seed, 300, rule.steps?.length ?? 1).filter((h) => rule.steps || h.step === 0);
        const live = streamScan(rule);
        for (let n = 1; n <= hits.length; n++) {
          live.push(hits[n - 1] as LiveHit);
          if (n % 7 !== 0 && n !== hits.length) continue;
          const twin = groupScan(rule);
          const prefix = hits.slice(0, n);
          twin.scan(prefix, 0);
          const { count, first, last, newestSeq } = live.tally;
          expect(
            count === 0 ? { count } : { count, first, last, newestSeq },
            `${JSON.stringify(rule)} seed ${seed} at ${n}`,
          ).toEqual(tallyOf(twin.found(prefix)));
        }
      }
  });

  it('is copied whole: a copy goes on as the original would, and leaves it as it was', () => {
    for (const rule of SCANNED) {
      const hits = groupHits(3, 400, rule.steps?.length ?? 1).filter((h) => rule.steps || h.step === 0);
      const a = streamScan(rule);
      hits.slice(0, 200).forEach((h) => a.push(h));
      const before = { ...a.tally };
      const b = a.copy();
      hits.slice(200).forEach((h) => b.push(h));
      expect({ ...a.tally }).toEqual(before);
      const whole = streamScan(rule);
      hits.forEach((h) => whole.push(h));
      expect({ ...b.tally }).toEqual({ ...whole.tally });
    }
  });

  it('keeps what its window holds, not what it has read', () => {
    // A day of one group's hits, ten a second: 864,000 of them, through each kind of scan.
    const bounds: [ScannedRule, number][] = [
      [{ type: 'threshold', threshold: 5, within: 60e6 }, 5],
      // A value per hit (none repeats), more in the window than needed: the last five values.
      [{ type: 'distinct', threshold: 5, within: 60e6 }, 5],
      // Too few values in the window ever to hold: its values and unmarked hits.
      [{ type: 'distinct', threshold: 1_000_000, within: 60e6 }, 2 * 601],
      [{ type: 'sequence', within: 60e6, steps: [{ min: 1 }, { min: 1 }] }, 601],
    ];
    for (const [rule, bound] of bounds) {
      const live = streamScan(rule);
      let most = 0;
      for (let i = 0; i < 864_000; i++) {
        live.push({ seq: i + 1, time: i * 100_000, step: rule.steps ? i % 2 : 0, distinct: `v${i}` });
        if (i % 1000 === 0) most = Math.max(most, live.kept());
      }
      expect(most, rule.type).toBeLessThanOrEqual(bound);
      expect(live.tally.count, rule.type).toBe(rule.threshold === 1_000_000 ? 0 : 864_000);
    }
  });
});

describe('a rule over a live tail', () => {
  it('notifies what the whole-case rule finds, late events and rebuilds included', () => {
    let rebuilds = 0;
    let most = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const all = ruleStream(seed, 600, seed % 3 === 0 ? 60 : 8);
      const next = prng(seed * 7919);
      for (const rule of SAMPLE_RULES) {
        const now = (): number => 1e12;
        let live = new LiveRuleState(rule, 10, now);
        const whole = new AlertRuleState(rule);
        const reported = new Map<string, unknown>();
        let at = 0;
        while (at < all.length) {
          const batch = all.slice(at, at + 1 + Math.floor(next() * 30));
          at += batch.length;
          feed(live, batch);
          feed(whole, batch);
          if (live.lateBy > 0) {
            // What LiveAlerts does: the rule again, from every hit so far in time order.
            rebuilds++;
            live = new LiveRuleState(rule, 10, now);
            const sorted = all.slice(0, at).sort((a, b) => a.time - b.time || a.seq - b.seq);
            sorted.forEach((h, i) => {
              if (i % 50 === 0) live.settle(h.time);
              feed(live, [h]);
            });
          }
          const expected = new Map(
            whole.alerts().map((a) => [a.entity?.values.join() ?? '', tallyOf(a.events as Hit[])]),
          );
          for (const alert of live.changed()) {
            const { count, first, last, newestSeq } = alert.tally;
            reported.set(alert.values.join(), { count, first, last, newestSeq });
            expect({ count, first, last, newestSeq }, `rule ${rule.id}, seed ${seed}, at ${at}`).toEqual(
              expected.get(alert.values.join()),
            );
          }
          most = Math.max(most, live.kept());
        }
        // Every alert was notified as it ended up.
        expect(reported, `rule ${rule.id}, seed ${seed}`).toEqual(
          new Map(whole.alerts().map((a) => [a.entity?.values.join() ?? '', tallyOf(a.events as Hit[])])),
        );
      }
    }
    // Some arrivals were too late: the rebuild was taken, not only the easy road.
    expect(rebuilds).toBeGreaterThan(5);
    // ~1 event per time unit: what 10 units of grace and 6 of window hold, in 4 groups; 600 read.
    expect(most).toBeLessThan(100);
  });
});
