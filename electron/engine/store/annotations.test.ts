// Stars, tags and notes on events of a real case: stored beside the events (never in them),
// searchable, journaled with the events' ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import { CaseSession } from '../case-session.ts';
import { verifyCase } from '../cases/verify-case.ts';

const temp = tempDir();
let session: CaseSession;
let seqs: number[];

async function count(search: string): Promise<number> {
  const parsed = parseSearch(search);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const handle = await session.read.openResult(parsed.filter ? { filter: parsed.filter } : {});
  try {
    return await session.read.count(handle);
  } finally {
    await session.read.closeResult(handle);
  }
}

beforeAll(async () => {
  session = await CaseSession.open(temp.file('marks.auditscope'));
  await session.import([dataset('okta-system-log')]);
  const handle = await session.read.openResult({ order: 'asc' });
  seqs = (await session.read.rows(handle, 0, 10)).map((e) => e.seq);
  await session.read.closeResult(handle);
});
afterAll(async () => {
  await session.close();
  temp.cleanup();
});

describe('annotations', () => {
  it('stars, tags and notes events, and finds them with is: and tag:', async () => {
    const raws = await Promise.all(seqs.map((seq) => session.read.event(seq)));
    expect(await session.annotate(seqs.slice(0, 3), { star: true })).toEqual({ events: 3 });
    await session.annotate(seqs.slice(2, 6), { addTag: 'Lateral-Movement' });
    await session.annotate(seqs.slice(5, 6), { addTag: 'c2' });
    await session.annotate([seqs[0] as number], {
      note: 'First sign of **the intruder**: <script>x</script>',
    });
    expect(await count('is:starred')).toBe(3);
    expect(await count('is:tagged')).toBe(4);
    expect(await count('is:noted')).toBe(1);
    expect(await count('tag:lateral-movement')).toBe(4);
    expect(await count('tag:lat*')).toBe(4);
    expect(await count('is:starred tag:lateral-movement')).toBe(1);
    expect(await count('-is:starred')).toBe((await count('')) - 3);

    const marks = await session.read.marks(seqs.slice(0, 7));
    expect(marks.find((m) => m.seq === seqs[0])).toEqual({
      seq: seqs[0],
      starred: true,
      note: 'First sign of **the intruder**: <script>x</script>',
      tags: [],
    });
    expect(marks.find((m) => m.seq === seqs[5])?.tags.map((t) => t.name)).toEqual(['c2', 'Lateral-Movement']);
    expect(marks.some((m) => m.seq === seqs[6])).toBe(false);
    expect((await session.read.tags()).map((t) => [t.name, t.count])).toEqual([
      ['Lateral-Movement', 4],
      ['c2', 1],
    ]);
    // The events themselves are untouched.
    expect(await Promise.all(seqs.map((seq) => session.read.event(seq)))).toEqual(raws);
  });

  it('unstars, untags and removes notes, leaving no empty marks or unused tags', async () => {
    await session.annotate(seqs.slice(0, 3), { star: false });
    await session.annotate([seqs[0] as number], { note: null });
    await session.annotate(seqs.slice(5, 6), { removeTag: 'C2' });
    expect([await count('is:starred'), await count('is:noted'), await count('tag:c2')]).toEqual([0, 0, 0]);
    expect((await session.read.tags()).map((t) => t.name)).toEqual(['Lateral-Movement']);
    expect(await session.read.marks(seqs.slice(0, 2))).toEqual([]);
  });

  it('journals every change with the events it touched, and the chain holds', async () => {
    const entries = await session.read.journal(0, 1000);
    const annotations = entries.filter((e) => e.action === 'annotate');
    expect(annotations).toHaveLength(7);
    const first = await session.read.event(seqs[0] as number);
    expect(annotations[0]?.detail).toMatchObject({
      change: { star: true },
      events: 3,
      ids: expect.arrayContaining([first?.id]),
    });
    expect((await verifyCase(session.path, { inputs: false })).journal.broken).toBeNull();
  });

  it('refuses a search for a mark it does not know', async () => {
    await expect(count('is:pinned')).rejects.toThrow(/is:` takes starred, tagged or noted/);
  });
});
