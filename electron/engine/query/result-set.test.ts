import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseForWriting, type CaseDb } from '../store/case-db.ts';
import { EventWriter } from '../store/event-writer.ts';
import { sampleRow } from '../store/sample-rows.ts';
import { CaseQueries } from './case-queries.ts';
import { compileSqlite } from './compile-sqlite.ts';
import { tempDir } from '../../../test/support/temp-case.ts';

const N = 3000;
const temp = tempDir();
let db: CaseDb;
let queries: CaseQueries;

beforeAll(() => {
  db = openCaseForWriting(temp.file('rs.auditscope'));
  const writer = new EventWriter(db);
  const importId = writer.beginImport({ path: '/gen', format: 'generic', container: 'ndjson' });
  // Times with ties (every 3 events share a second) and inserted out of order, as real exports are.
  const rows = Array.from({ length: N }, (_, i) =>
    sampleRow(`e${i}`, 1_700_000_000_000_000 + Math.floor(((i * 7919) % N) / 3) * 1_000_000, {
      outcome: i % 10 === 0 ? 'failure' : 'success',
      actor: i % 2 ? 'alice' : 'bob',
    }),
  );
  writer.insertBatch(importId, rows, []);
  queries = new CaseQueries(db);
});
afterAll(() => {
  db.close();
  temp.cleanup();
});

function expectedOrder(filter: (seq: number) => boolean, order: 'asc' | 'desc'): number[] {
  const all = db.prepare('SELECT rowid, time FROM events ORDER BY time, rowid').raw().all() as [
    number,
    number,
  ][];
  const seqs = all.map(([seq]) => seq).filter(filter);
  return order === 'asc' ? seqs : seqs.reverse();
}

describe('ResultSet random access', () => {
  it.each(['asc', 'desc'] as const)('returns the exact rows for any window (%s)', (order) => {
    const handle = queries.openResult({ order });
    expect(queries.count(handle)).toBe(N);
    const expected = expectedOrder(() => true, order);
    for (const start of [0, 1, 255, 256, 257, 1000, 2799, 2990, N - 1]) {
      const rows = queries.rows(handle, start, 200);
      expect(rows.map((r) => r.seq)).toEqual(expected.slice(start, start + 200));
    }
    expect(queries.rows(handle, N, 10)).toEqual([]);
  });

  it('answers jumps in any order, seeking from the nearest known position', () => {
    for (const order of ['asc', 'desc'] as const) {
      const handle = queries.openResult({
        filter: { kind: 'field', field: 'actor', op: 'eq', value: 'alice' },
        order,
      });
      const alice = new Set(
        db.prepare(`SELECT rowid FROM events WHERE actor_name = 'alice'`).pluck().all() as number[],
      );
      const expected = expectedOrder((seq) => alice.has(seq), order);
      let seed = 7;
      for (let i = 0; i < 40; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const start = seed % expected.length;
        expect(queries.rows(handle, start, 30).map((r) => r.seq)).toEqual(expected.slice(start, start + 30));
      }
    }
  });

  it('finds where a jump to a time lands, in both orders and under a filter', () => {
    const times = db.prepare('SELECT rowid, time FROM events').raw().all() as [number, number][];
    const timeOf = new Map(times);
    for (const order of ['asc', 'desc'] as const) {
      const handle = queries.openResult({
        filter: { kind: 'field', field: 'actor', op: 'eq', value: 'bob' },
        order,
      });
      const total = queries.count(handle);
      const all = queries.rows(handle, 0, total);
      for (const probe of [0, 1, 17, 400, total - 1]) {
        const time = timeOf.get(all[probe]?.seq as number) as number;
        const position = queries.positionOf(handle, time);
        // The first row at that time (ties share it), and every row before it is strictly on the other side.
        expect(timeOf.get(all[position]?.seq as number)).toBe(time);
        for (const row of all.slice(0, position)) {
          const t = timeOf.get(row.seq) as number;
          expect(order === 'desc' ? t > time : t < time).toBe(true);
        }
      }
      expect(queries.positionOf(handle, order === 'desc' ? 0 : Number.MAX_SAFE_INTEGER)).toBe(total);
    }
  });

  it('pages a filtered result by position', () => {
    const handle = queries.openResult({
      filter: { kind: 'field', field: 'outcome', op: 'eq', value: 'failure' },
      order: 'desc',
    });
    const failures = new Set(
      db.prepare(`SELECT rowid FROM events WHERE outcome = 'failure'`).pluck().all() as number[],
    );
    const expected = expectedOrder((seq) => failures.has(seq), 'desc');
    expect(queries.count(handle)).toBe(expected.length);
    expect(queries.rows(handle, 17, 50).map((r) => r.seq)).toEqual(expected.slice(17, 67));
    expect(queries.rows(handle, 0, 5).every((r) => r.outcome === 'failure')).toBe(true);
  });

  it('builds histograms from pre-aggregated counts that match a scan', () => {
    const fromCounts = queries.histogram({});
    const scanned = queries.histogram({
      filter: { kind: 'field', field: 'source', op: 'eq', value: 'generic' },
    });
    expect(fromCounts.buckets).toEqual(scanned.buckets);
    expect(fromCounts.buckets.reduce((n, b) => n + b.total, 0)).toBe(N);
    // Hour buckets read hour_counts, and agree with a scan too.
    const source = { kind: 'field', field: 'source', op: 'eq', value: 'generic' } as const;
    const hourly = queries.histogram({}, { interval: 3_600_000_000 });
    expect(hourly.buckets).toEqual(
      queries.histogram({ filter: source }, { interval: 3_600_000_000 }).buckets,
    );
    expect(hourly.buckets.reduce((n, b) => n + b.total, 0)).toBe(N);
    // An explicit range that does not fall on whole minutes still counts exactly.
    const from = 1_700_000_000_000_000 + 90_500_000;
    const to = from + 600_000_000;
    const partial = queries.histogram({ from, to }, { interval: 60_000_000 });
    const exact = db
      .prepare('SELECT count(*) FROM events WHERE time >= ? AND time < ?')
      .pluck()
      .get(from, to);
    expect(partial.buckets.reduce((n, b) => n + b.total, 0)).toBe(exact);
  });

  it('gives top values with counts', () => {
    const top = queries.topValues({}, 'actor', 5);
    expect(top.total).toBe(N);
    expect(top.values).toEqual([
      { value: 'alice', count: N / 2 },
      { value: 'bob', count: N / 2 },
    ]);
  });
});

describe('query plans', () => {
  it('keeps actor equality and prefix globs on the indexes (no scan of the events table)', () => {
    for (const op of ['eq', 'glob'] as const) {
      const { where, params } = compileSqlite(
        { filter: { kind: 'field', field: 'actor', op, value: op === 'eq' ? 'alice' : 'ali*' } },
        { ftsReady: true },
      );
      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM events WHERE ${where}`).all(...params) as {
          detail: string;
        }[]
      ).map((row) => row.detail);
      expect(plan.filter((line) => /\bSCAN events\b/.test(line))).toEqual([]);
      expect(plan.filter((line) => /USING (COVERING )?INDEX events_actor/.test(line))).toHaveLength(3);
    }
  });
});

describe('timeline lanes', () => {
  const count = (where: string): number =>
    db.prepare(`SELECT count(*) FROM events WHERE ${where}`).pluck().get() as number;

  it('counts each top value in shared buckets, failures apart, as the table would show them', () => {
    const lanes = queries.lanes({}, 'actor', { lanes: 5, maxBuckets: 20 });
    expect(lanes.total).toBe(N);
    expect(lanes.buckets).toBeLessThanOrEqual(21);
    expect(lanes.lanes.map((l) => [l.value, l.total])).toEqual([
      ['alice', N / 2],
      ['bob', N / 2],
    ]);
    for (const lane of lanes.lanes) {
      expect(lane.cells.reduce((n, [, events]) => n + events, 0)).toBe(lane.total);
      expect(lane.cells.reduce((n, [, , failures]) => n + failures, 0)).toBe(
        count(`actor_name = '${lane.value}' AND outcome = 'failure'`),
      );
      expect(lane.cells.every(([index]) => index >= 0 && index < lanes.buckets)).toBe(true);
    }
  });

  it('keeps the query: lanes of failures hold failures only', () => {
    const lanes = queries.lanes(
      { filter: { kind: 'field', field: 'outcome', op: 'eq', value: 'failure' } },
      'actor',
      { lanes: 1 },
    );
    expect(lanes.total).toBe(count(`outcome = 'failure'`));
    expect(lanes.lanes).toHaveLength(1);
    const [lane] = lanes.lanes;
    expect(lane?.cells.every(([, events, failures]) => events === failures)).toBe(true);
  });
});

describe('a result is a snapshot', () => {
  it('keeps its count, pages and positions while events arrive', () => {
    const temp2 = tempDir();
    const db2 = openCaseForWriting(temp2.file('snap.auditscope'));
    try {
      const writer = new EventWriter(db2);
      const importId = writer.beginImport({ path: '/gen', format: 'generic', container: 'ndjson' });
      writer.insertBatch(
        importId,
        Array.from({ length: 600 }, (_, i) => sampleRow(`a${i}`, 1_000_000 * (i + 1))),
        [],
      );
      const q = new CaseQueries(db2);
      const all = q.openResult({ order: 'desc' });
      const text = q.openResult({
        filter: { kind: 'field', field: 'actor', op: 'eq', value: 'alice' },
        order: 'desc',
      });
      const before = q.rows(all, 300, 10).map((r) => r.id);
      // Newer and older events arrive after the results opened.
      writer.insertBatch(importId, [sampleRow('new', 9_000_000_000), sampleRow('old', 500_000)], []);
      expect(q.count(all)).toBe(600);
      expect(q.count(text)).toBe(600);
      expect(q.rows(all, 0, 1)[0]?.id).toBe('a599');
      expect(q.rows(all, 300, 10).map((r) => r.id)).toEqual(before);
      expect(q.rows(all, 599, 5).map((r) => r.id)).toEqual(['a0']);
      // A result opened now sees them.
      expect(q.count(q.openResult({}))).toBe(602);
    } finally {
      db2.close();
      temp2.cleanup();
    }
  });
});
