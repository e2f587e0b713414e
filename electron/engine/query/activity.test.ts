// Per-entity activity and journeys over real CloudTrail and Okta: every figure checked against
// what the search syntax counts for the same entity, so the views and reports agree with Logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import { ACTIVITY_KINDS } from '../../../shared/lib/activity-kind.ts';
import { CaseSession } from '../case-session.ts';

const temp = tempDir();
let session: CaseSession;

async function count(text: string): Promise<number> {
  const parsed = parseSearch(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return session.read.total(parsed.filter ? { filter: parsed.filter } : {});
}

beforeAll(async () => {
  session = await CaseSession.open(temp.file('activity.auditscope'));
  await session.import([
    dataset('aws-cloudtrail', 'stratus-red-team-detonation-logs'),
    dataset('okta-system-log'),
    dataset('github-audit'),
  ]);
});
afterAll(async () => {
  await session.close();
  temp.cleanup();
});

describe('activity summaries', () => {
  it('count each actor’s events, failures, kinds and IPs as searches do', async () => {
    const summaries = await session.aggregate.activity({}, 'actor', { limit: 10 });
    expect(summaries.length).toBeGreaterThan(3);
    expect(summaries.map((s) => s.events)).toEqual([...summaries.map((s) => s.events)].sort((a, b) => b - a));
    for (const s of summaries) {
      const actor = `actor:"${s.value}"`;
      expect(s.events, s.value).toBe(await count(actor));
      expect(s.failures, s.value).toBe(await count(`${actor} outcome:failure`));
      expect(Object.values(s.kinds).reduce((a, b) => a + b, 0)).toBe(s.events);
      for (const kind of ACTIVITY_KINDS)
        expect(s.kinds[kind], `${s.value} ${kind}`).toBe(await count(`${actor} kind:${kind}`));
      const ips = await session.aggregate.topValues(parseQuery(actor), 'ip', 1000);
      expect(s.ips, s.value).toBe(ips.values.length);
      expect(s.first).toBeLessThanOrEqual(s.last);
    }
  });

  it('summarize named values, as named, and nothing for an unknown one', async () => {
    const [top] = await session.aggregate.activity({}, 'actor', { limit: 1 });
    const named = await session.aggregate.activity({}, 'actor', {
      limit: 5,
      values: [top?.value.toUpperCase() as string, 'nobody-at-all'],
    });
    expect(named).toHaveLength(1);
    expect(named[0]).toMatchObject({ value: top?.value.toUpperCase(), events: top?.events });
  });

  it('summarize a value named by any actor column as the search syntax counts it', async () => {
    const handle = await session.read.openResult({ order: 'asc' });
    const rows = await session.read.rows(handle, 0, 2000);
    await session.read.closeResult(handle);
    // Named by its id, an actor the summaries group by its name.
    const both = rows.find((e) => e.actor.name && e.actor.id && e.actor.name !== e.actor.id);
    expect(both).toBeDefined();
    const actorId = (both?.actor.id as string).toUpperCase();
    const [summary] = await session.aggregate.activity({}, 'actor', { limit: 1, values: [actorId] });
    expect(summary?.events).toBe(await count(`actor:"${actorId}"`));
    const ips = await session.aggregate.topValues(parseQuery(`actor:"${actorId}"`), 'ip', 1000);
    expect(summary?.ips).toBe(ips.values.length);
  });

  it('stack a histogram by activity kind to the same totals', async () => {
    const histogram = await session.aggregate.histogram({}, { stackBy: 'activity' });
    const totals: Record<string, number> = {};
    for (const b of histogram.buckets)
      for (const [k, n] of Object.entries(b.counts)) totals[k] = (totals[k] ?? 0) + n;
    for (const kind of ACTIVITY_KINDS) expect(totals[kind] ?? 0, kind).toBe(await count(`kind:${kind}`));
  });
});

describe('journeys', () => {
  it('lay each entity’s events into spans and mark every failure and sensitive action', async () => {
    const top = (await session.aggregate.activity({}, 'actor', { limit: 4 })).map((s) => s.value);
    const lanes = await session.aggregate.journey({}, 'actor', top, { gapMinutes: 30, maxItems: 5000 });
    expect(lanes.map((l) => l.value)).toEqual(top);
    for (const lane of lanes) {
      expect(lane.events).toBe(await count(`actor:"${lane.value}"`));
      expect(lane.spans.reduce((sum, s) => sum + s.events, 0)).toBe(lane.events);
      expect(lane.marks.filter((m) => m.kind === 'failure')).toHaveLength(
        await count(`actor:"${lane.value}" outcome:failure`),
      );
      // Spans in time order; within a burst no gap exceeds the threshold between spans' edges.
      for (let i = 1; i < lane.spans.length; i++)
        expect(lane.spans[i]?.start).toBeGreaterThanOrEqual(lane.spans[i - 1]?.start as number);
      expect(lane.truncated).toBe(false);
    }
    // A smaller gap cuts the same activity into at least as many spans.
    const fine = await session.aggregate.journey({}, 'actor', top, { gapMinutes: 1, maxItems: 5000 });
    fine.forEach((lane, i) =>
      expect(lane.spans.length).toBeGreaterThanOrEqual(lanes[i]?.spans.length as number),
    );
  });
});

function parseQuery(text: string) {
  const parsed = parseSearch(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.filter ? { filter: parsed.filter } : {};
}
