import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { dataset } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { CaseSession } from '../case-session.ts';
import { CaseHost } from './case-host.ts';

const temp = tempDir();
afterAll(() => temp.cleanup());

describe('CaseHost', () => {
  it('switches cases, remembers them newest first, and refuses what is not a case', async () => {
    const recentFile = temp.file('home/recent-cases.json');
    const host = new CaseHost(await CaseSession.open(temp.file('a.auditscope')), { recentFile });
    try {
      const switched: string[] = [];
      host.onSwitch((info) => switched.push(info.name));
      await host.create(temp.file('b'));
      expect(host.info().name).toBe('b');

      // Another application's SQLite database is never written to.
      const foreign = temp.file('app.db');
      const db = new Database(foreign);
      db.exec('CREATE TABLE users (id INTEGER)');
      db.close();
      const before = readFileSync(foreign);
      await expect(host.open(foreign)).rejects.toThrow(/not an Auditscope case/);
      expect(readFileSync(foreign).equals(before)).toBe(true);
      await expect(host.open(temp.dir)).rejects.toThrow(/not a file/);
      // SQLite would take an empty file for an empty database and make it a case.
      writeFileSync(temp.file('notes.txt'), '');
      await expect(host.open(temp.file('notes.txt'))).rejects.toThrow(/is empty/);
      expect(readFileSync(temp.file('notes.txt')).length).toBe(0);
      expect(host.info().name).toBe('b');

      await host.open(temp.file('a.auditscope'));
      expect(switched).toEqual(['b', 'a']);
      expect(JSON.parse(readFileSync(recentFile, 'utf8'))).toEqual([
        temp.file('a.auditscope'),
        temp.file('b.auditscope'),
      ]);
    } finally {
      await host.close();
    }
    // A new host (the next launch) reads the list back; a damaged list is just empty.
    const next = new CaseHost(await CaseSession.open(temp.file('b.auditscope')), { recentFile });
    expect(next.recent().map((r) => r.name)).toEqual(['b', 'a']);
    await next.close();
    writeFileSync(recentFile, '{broken');
    const damaged = new CaseHost(await CaseSession.open(temp.file('c.auditscope')), { recentFile });
    expect(damaged.recent().map((r) => r.name)).toEqual(['c']);
    await damaged.close();
  });

  it('waits for a switch before answering, and refuses to switch during an import', async () => {
    const host = new CaseHost(await CaseSession.open(temp.file('d.auditscope')));
    try {
      const importing = host.current.import([dataset('okta-system-log')]);
      await expect(host.create(temp.file('e'))).rejects.toThrow(/import is running/);
      await importing;
      const switching = host.create(temp.file('e'));
      const session = await host.ready();
      expect(session.path).toBe(temp.file('e.auditscope'));
      await switching;
      expect((await session.read.stats()).events).toBe(0);
    } finally {
      await host.close();
    }
  });

  it('names a case opened by a relative path absolutely, and knows it again by its absolute path', async () => {
    const relative = path.relative(process.cwd(), temp.file('rel.auditscope'));
    const host = new CaseHost(await CaseSession.open(relative));
    try {
      expect(host.info().path).toBe(temp.file('rel.auditscope'));
      const switched: string[] = [];
      host.onSwitch((info) => switched.push(info.path));
      await host.open(temp.file('rel.auditscope'));
      expect(switched).toEqual([]);
    } finally {
      await host.close();
    }
  });
});
