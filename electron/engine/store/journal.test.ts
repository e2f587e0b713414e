// The case journal: flip any byte of any entry, or remove one, and verification names it.
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-case.ts';
import { openCaseForWriting } from './case-db.ts';
import { canonicalJson } from '../ingest/event-id.ts';
import { GENESIS, Journal, readJournal, verifyJournal } from './journal.ts';

const temp = tempDir();
afterAll(() => temp.cleanup());

function journaled(name: string): Database.Database {
  const db = openCaseForWriting(temp.file(name));
  const journal = new Journal(db);
  journal.append('case.created', { path: '/cases/x.auditscope' }, 1_700_000_000_000);
  journal.append(
    'import',
    { path: '/logs/a.json', sha256: 'ab'.repeat(32), accepted: 12, status: 'complete' },
    1_700_000_000_100,
  );
  journal.append(
    'export',
    { file: '/out/x.csv', events: 12, query: { filter: { kind: 'text', text: 'é"\\' } } },
    1_700_000_000_200,
  );
  return db;
}

describe('the case journal', () => {
  it('chains entries from the genesis hash, with canonical detail', () => {
    const db = journaled('chain.auditscope');
    const entries = readJournal(db);
    expect(entries.map((e) => [e.seq, e.action])).toEqual([
      [1, 'case.created'],
      [2, 'import'],
      [3, 'export'],
    ]);
    expect(entries[0]?.prevHash).toBe(GENESIS);
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    expect(verifyJournal(db)).toEqual({ entries: 3, head: entries[2]?.hash, broken: null });
    expect(canonicalJson({ b: 1, a: { d: 1, c: [2, { f: 1, e: 0 }] } })).toBe(
      '{"a":{"c":[2,{"e":0,"f":1}],"d":1},"b":1}',
    );
    db.close();
  });

  it('names the entry when any character of any entry is changed', () => {
    const db = journaled('tamper.auditscope');
    const rows = db.prepare('SELECT * FROM journal ORDER BY seq').all() as Record<string, string | number>[];
    let tried = 0;
    for (const row of rows) {
      for (const column of ['action', 'detail', 'prev_hash', 'hash']) {
        const original = String(row[column]);
        for (let i = 0; i < original.length; i++) {
          const flipped = original.slice(0, i) + (original[i] === 'x' ? 'y' : 'x') + original.slice(i + 1);
          db.prepare(`UPDATE journal SET ${column} = ? WHERE seq = ?`).run(flipped, row.seq);
          const broken = verifyJournal(db).broken;
          expect(broken?.seq, `${column}[${i}] of entry ${row.seq}`).toBe(row.seq);
          db.prepare(`UPDATE journal SET ${column} = ? WHERE seq = ?`).run(original, row.seq);
          tried++;
        }
      }
      db.prepare('UPDATE journal SET time = time + 1 WHERE seq = ?').run(row.seq);
      expect(verifyJournal(db).broken?.seq).toBe(row.seq);
      db.prepare('UPDATE journal SET time = time - 1 WHERE seq = ?').run(row.seq);
    }
    expect(tried).toBeGreaterThan(500);
    expect(verifyJournal(db).broken).toBeNull();
    db.close();
  });

  it('names a removed entry', () => {
    const db = journaled('removed.auditscope');
    db.prepare('DELETE FROM journal WHERE seq = 2').run();
    expect(verifyJournal(db).broken).toEqual({ seq: 3, reason: 'entry 2 is missing' });
    db.close();
  });
});
