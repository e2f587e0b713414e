// A rule's state fed a live tail's way (hits in batches, mostly in time order, some late) gives
// the alerts of the same hits fed at once, and the sequence scan finds the chains of the plain
// quadratic search it replaced (kept here as the reference).
import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../../../shared/domain/alert.ts';
import { prng } from '../../../test/support/prng.ts';
import { feed, ruleStream, SAMPLE_RULES } from '../../../test/support/rule-streams.ts';
import { AlertRuleState } from './alert-rules.ts';
import { byTime, type Hit } from './group-scan.ts';

describe('a rule over a growing case', () => {
  it('gives the alerts of all its hits at once, whatever the batches and late arrivals', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const all = ruleStream(seed, 400);
      const next = prng(seed * 7919);
      for (const rule of SAMPLE_RULES) {
        const live = new AlertRuleState(rule);
        let at = 0;
        while (at < all.length) {
          const size = 1 + Math.floor(next() * 40);
          const batch = all.slice(at, at + size);
          // Now and then a batch arrives late, after the one that follows it.
          if (next() < 0.1 && at + size < all.length) {
            const following = all.slice(at + size, at + 2 * size);
            feed(live, following);
            live.alerts();
            at += following.length;
          }
          feed(live, batch);
          live.alerts();
          at += batch.length;
        }
        const whole = new AlertRuleState(rule);
        feed(whole, all);
        // In the order of their keys: which group raised its alert first differs, and is no matter.
        const byKey = (a: { key: string }, b: { key: string }): number => a.key.localeCompare(b.key);
        expect(live.alerts().sort(byKey), `rule ${rule.id}, seed ${seed}`).toEqual(
          whole.alerts().sort(byKey),
        );
      }
    }
  });

  it('finds the sequences the plain search finds', () => {
    const rule = SAMPLE_RULES.find((r) => r.type === 'sequence') as AlertRule;
    let chains = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const all = ruleStream(seed, 300);
      const state = new AlertRuleState(rule);
      feed(state, all);
      const found = new Map(state.alerts().map((a) => [a.entity?.values[0], a.seqs]));
      for (const user of ['u0', 'u1', 'u2', 'u3']) {
        const hits: Hit[] = all
          .filter((h) => h.user === user)
          .map((h) => ({ seq: h.seq, id: `id${h.seq}`, time: h.time, step: h.step, values: [user] }))
          .sort((a, b) => byTime(a, b) || a.step - b.step);
        const expected = plainSequenceHits(hits, rule.steps ?? [], rule.within ?? 0).map((h) => h.seq);
        chains += expected.length;
        expect(found.get(user) ?? [], `user ${user}, seed ${seed}`).toEqual(expected.slice(0, 50));
      }
    }
    // The generated events do hold chains (the comparison is not between two empty lists).
    expect(chains).toBeGreaterThan(100);
  });
});

/** The sequence search as it was: every closing event scans back over all earlier hits. */
function plainSequenceHits(hits: Hit[], steps: { min: number }[], within: number): Hit[] {
  const used = new Map<number, Hit>();
  const last = steps.length - 1;
  for (let end = 0; end < hits.length; end++) {
    const closing = hits[end] as Hit;
    if (closing.step !== last) continue;
    const chain: Hit[] = [];
    let boundary = end + 1;
    let complete = true;
    for (let step = last; step >= 0 && complete; step--) {
      const need = (steps[step] as { min: number }).min;
      const picked: number[] = [];
      for (let i = boundary - 1; i >= 0 && picked.length < need; i--) {
        const h = hits[i] as Hit;
        if (closing.time - h.time > within) break;
        if (h.step === step && !chain.some((c) => c.seq === h.seq)) picked.push(i);
      }
      if (picked.length < need) complete = false;
      else {
        for (const i of picked) chain.push(hits[i] as Hit);
        boundary = Math.min(...picked);
        while (boundary > 0 && (hits[boundary - 1] as Hit).time === (hits[boundary] as Hit).time) boundary--;
      }
    }
    if (complete) for (const h of chain) used.set(h.seq * 64 + h.step, h);
  }
  const seen = new Set<number>();
  return [...used.values()].sort(byTime).filter((h) => !seen.has(h.seq) && seen.add(h.seq));
}
