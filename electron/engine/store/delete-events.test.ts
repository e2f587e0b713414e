// Deleting events from a real case: by rows, by search, by retention rule. What remains must be
// exactly what a case without those events would hold — counts, histogram, free text, marks —
// and the journal must say what went, while the input files stay as they were.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import type { EventQuery } from '../../../shared/domain/query.ts';
import { CaseSession } from '../case-session.ts';
import { verifyCase } from '../cases/verify-case.ts';

const temp = tempDir();
const casePath = temp.file('delete.auditscope');
// Real CloudTrail with failures (AccessDenied) among successes.
const input = dataset('aws-cloudtrail', 'stratus-red-team-detonation-logs');
let session: CaseSession;

function queryOf(search: string): EventQuery {
  const parsed = parseSearch(search);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.filter ? { filter: parsed.filter } : {};
}

/** The CloudTrail record's own id: a value no other event carries. */
function uniqueValue(raw: string | undefined): string {
  return (JSON.parse(raw ?? '{}') as { eventID: string }).eventID;
}

const count = (search: string): Promise<number> => session.read.total(queryOf(search));

/** The pre-aggregated counts must equal counts recomputed from the events themselves. */
function aggregatesMatchEvents(): void {
  const db = new Database(casePath, { readonly: true });
  try {
    const recount = (unit: number) =>
      db
        .prepare(
          `SELECT (time / ${unit} - (time % ${unit} < 0)) AS b, outcome, category, count(*) AS n
             FROM events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        )
        .all();
    expect(
      db
        .prepare('SELECT minute AS b, outcome, category, count AS n FROM minute_counts ORDER BY 1, 2, 3')
        .all(),
    ).toEqual(recount(60_000_000));
    expect(
      db.prepare('SELECT hour AS b, outcome, category, count AS n FROM hour_counts ORDER BY 1, 2, 3').all(),
    ).toEqual(recount(3_600_000_000));
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  session = await CaseSession.open(casePath);
  await session.import([input]);
  await session.buildFreeTextIndex();
});
afterAll(async () => {
  await session.close();
  temp.cleanup();
});

describe('deleting events', () => {
  it('removes picked rows with their marks, free text and share of the counts', async () => {
    const before = await count('');
    const handle = await session.read.openResult({ order: 'asc' });
    const rows = await session.read.rows(handle, 0, 3);
    await session.read.closeResult(handle);
    const seqs = rows.map((r) => r.seq);
    await session.annotate(seqs, { addTag: 'doomed' });
    await session.annotate([seqs[0] as number], { star: true });
    // A value only the first event carries, to see its free-text entry go with it.
    const word = uniqueValue(rows[0]?.raw);
    expect(await count(`"${word}"`)).toBe(1);

    const summary = await session.deleteEvents({ kind: 'events', seqs });
    expect(summary.events).toBe(3);
    expect(summary.idsSha256).toBe(
      createHash('sha256')
        .update(
          [...rows]
            .sort((x, y) => x.seq - y.seq)
            .map((r) => `${r.id}\n`)
            .join(''),
        )
        .digest('hex'),
    );
    expect(await count('')).toBe(before - 3);
    expect(await session.read.event(seqs[0] as number)).toBeUndefined();
    expect(await count('is:starred')).toBe(0);
    expect(await session.read.tags()).toEqual([]);
    expect(await session.read.marks(seqs)).toEqual([]);
    expect(await count(`"${word}"`)).toBe(0);
    aggregatesMatchEvents();
  });

  it('removes what a search matches, and the table pages over what is left', async () => {
    const failures = await count('outcome:failure');
    expect(failures).toBeGreaterThan(0);
    const before = await count('');
    // Open a result and learn its pages first: a deletion must not leave stale checkpoints.
    const old = await session.read.openResult({ order: 'asc' });
    await session.read.rows(old, 0, 500);
    await session.read.closeResult(old);

    const summary = await session.deleteEvents({ kind: 'query', query: queryOf('outcome:failure') });
    expect(summary.events).toBe(failures);
    expect(await count('outcome:failure')).toBe(0);
    expect(await count('')).toBe(before - failures);

    const handle = await session.read.openResult({ order: 'asc' });
    const total = await session.read.count(handle);
    const seen = new Set<number>();
    for (let start = 0; start < total; start += 400)
      for (const row of await session.read.rows(handle, start, 400)) {
        expect(row.outcome).not.toBe('failure');
        seen.add(row.seq);
      }
    await session.read.closeResult(handle);
    expect(seen.size).toBe(total);
    const histogram = await session.aggregate.histogram({}, {});
    expect(histogram.buckets.reduce((sum, b) => sum + b.total, 0)).toBe(total);
    aggregatesMatchEvents();
  });

  it('counts, pages and deletes exactly the events a query names one by one (a selection)', async () => {
    const handle = await session.read.openResult({ order: 'desc' });
    const picked = (await session.read.rows(handle, 5, 4)).map((r) => r.seq);
    await session.read.closeResult(handle);
    const before = await count('');
    expect(await session.read.total({ seqs: picked })).toBe(4);
    expect(await session.read.total({ seqs: picked, ...queryOf('outcome:failure') })).toBe(0);
    const histogram = await session.aggregate.histogram({ seqs: picked }, {});
    expect(histogram.buckets.reduce((sum, b) => sum + b.total, 0)).toBe(4);
    expect((await session.deleteEvents({ kind: 'query', query: { seqs: picked } })).events).toBe(4);
    expect(await count('')).toBe(before - 4);
    aggregatesMatchEvents();
  });

  it('applies a retention rule by age and category, and nothing when nothing is that old', async () => {
    expect((await session.deleteEvents({ kind: 'retention', days: 36_500 })).events).toBe(0);
    const categories = await session.aggregate.topValues({}, 'category', 10);
    const category = categories.values[0]?.value as string;
    const inCategory = await count(`category:${category}`);
    const before = await count('');
    const summary = await session.deleteEvents({ kind: 'retention', days: 1, category });
    expect(summary.events).toBe(inCategory);
    expect(await count('')).toBe(before - inCategory);
    aggregatesMatchEvents();
  });

  it('journals each deletion, never touches the input, and the case still verifies', async () => {
    const journal = await session.read.journal(0, 1000);
    const deletions = journal.filter((e) => e.action === 'delete');
    // The retention rule that found nothing changed nothing, and journaled nothing.
    expect(deletions.map((e) => (e.detail.target as { kind: string }).kind)).toEqual([
      'events',
      'query',
      'query',
      'retention',
    ]);
    expect(deletions[0]?.detail.events).toBe(3);
    expect((deletions[0]?.detail.ids as string[]).length).toBe(3);
    expect(deletions[3]?.detail.query).toMatchObject({ to: expect.any(Number) });
    const report = await verifyCase(casePath);
    expect(report.ok).toBe(true);
    const imported = report.inputs[0];
    expect(imported?.state).toBe('match');
    expect(imported?.sha256).toBe(
      createHash('sha256')
        .update(readFileSync(imported?.path as string))
        .digest('hex'),
    );
  });

  it('never gives deleted rowids out again, and indexes the free text of what comes next', async () => {
    const handle = await session.read.openResult({ order: 'desc' });
    await session.read.closeResult(handle);
    const newest = await session.aggregate.total({});
    const before = await session.read.rows(await session.read.openResult({ order: 'desc' }), 0, 1);
    const highest = before[0]?.seq as number;
    await session.deleteEvents({ kind: 'query', query: {} });
    expect(await count('')).toBe(0);
    await session.import([input]);
    await session.buildFreeTextIndex();
    const status = await session.ftsStatus();
    expect(status.ready).toBe(true);
    expect(await count('')).toBeGreaterThan(newest);
    const sample = await session.read.rows(await session.read.openResult({ order: 'desc' }), 0, 1);
    // Never a rowid given out before: the page's marks and open results rely on it.
    const oldest = await session.read.rows(await session.read.openResult({ order: 'asc' }), 0, 1);
    expect(oldest[0]?.seq).toBeGreaterThan(highest);
    expect(await count(`"${uniqueValue(sample[0]?.raw)}"`)).toBe(1);
    aggregatesMatchEvents();
  });

  it('is refused while an import is running', async () => {
    const running = session.import([input]);
    await expect(session.deleteEvents({ kind: 'retention', days: 1 })).rejects.toThrow(/import is running/);
    await running;
  });
});
