import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCaseForReading, openCaseForWriting, CaseFileError } from './case-db.ts';
import { EventWriter } from './event-writer.ts';
import { MIGRATIONS } from './schema.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { sampleRow } from './sample-rows.ts';
import { COL, EVENT_COLUMNS } from './event-row.ts';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.cleanup());

describe('case file', () => {
  it('writes with WAL and synchronous=FULL before the first commit (imported means durable)', () => {
    const db = openCaseForWriting(temp.file('a.auditscope'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('creates new cases with 16 KiB pages and keeps the page size of existing ones', () => {
    const fresh = openCaseForWriting(temp.file('pages.auditscope'));
    expect(fresh.pragma('page_size', { simple: true })).toBe(16384);
    fresh.close();
    const oldPath = temp.file('old-pages.auditscope');
    const old = new Database(oldPath);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    old.exec(MIGRATIONS.join(';'));
    old.pragma(`user_version = ${MIGRATIONS.length}`);
    old.close();
    const reopened = openCaseForWriting(oldPath);
    expect(reopened.pragma('page_size', { simple: true })).toBe(4096);
    reopened.close();
  });

  it('marks imports a killed process left running as interrupted', () => {
    const path = temp.file('b.auditscope');
    const db = openCaseForWriting(path);
    const writer = new EventWriter(db);
    writer.beginImport({ path: '/x', format: 'okta', container: 'ndjson' });
    db.close();
    const reopened = openCaseForWriting(path);
    expect(reopened.prepare('SELECT status FROM imports').pluck().get()).toBe('interrupted');
    reopened.close();
  });

  it('refuses files that are not case files', () => {
    const text = temp.file('notes.auditscope');
    writeFileSync(text, 'hello');
    expect(() => openCaseForWriting(text)).toThrow();
    const other = temp.file('other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => openCaseForWriting(other)).toThrow(CaseFileError);
    const untouched = new Database(other);
    expect(untouched.pragma('journal_mode', { simple: true })).toBe('delete'); // not switched to WAL
    untouched.close();
    expect(() => openCaseForReading(temp.file('missing.auditscope'))).toThrow(CaseFileError);
  });

  it('finds the duplicates of a case written before duplicates were keyed on (time, id)', () => {
    const file = temp.file('v7.auditscope');
    const old = new Database(file);
    for (const migration of MIGRATIONS.slice(0, 7)) old.exec(migration);
    old.pragma('user_version = 7');
    old.prepare(`INSERT INTO imports (id, path, started_at, status) VALUES (1, '/x', 0, 'complete')`).run();
    const row = sampleRow('a', 60_000_000);
    row[COL.import_id] = 1;
    old
      .prepare(
        `INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`,
      )
      .run(row);
    old.close();

    const db = openCaseForWriting(file);
    const indexes = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'`)
      .pluck()
      .all();
    expect(indexes).toContain('events_time_event_id');
    expect(indexes).not.toContain('events_event_id');
    const writer = new EventWriter(db);
    const id = writer.beginImport({ path: '/x', format: 'generic', container: 'ndjson' });
    expect(writer.insertBatch(id, [sampleRow('a', 60_000_000), sampleRow('b', 60_000_000)], [])).toEqual({
      accepted: 1,
      duplicates: 1,
      rejected: 0,
    });
    db.close();
  });

  it('commits a batch whole with exact duplicate counts and per-minute counts', () => {
    const db = openCaseForWriting(temp.file('c.auditscope'));
    const writer = new EventWriter(db);
    const id = writer.beginImport({ path: '/x', format: 'generic', container: 'ndjson' });
    // A duplicate is the same event again: its id, and its time (both come from its record).
    const rows = [sampleRow('a', 60_000_000), sampleRow('b', 61_000_000), sampleRow('a', 60_000_000)];
    expect(writer.insertBatch(id, rows, [])).toEqual({ accepted: 2, duplicates: 1, rejected: 0 });
    expect(
      writer.insertBatch(
        id,
        [sampleRow('b', 61_000_000), sampleRow('c', 120_000_000)],
        [{ offset: 10, line: 2, reason: 'invalid JSON', head: new Uint8Array([123]), length: 5 }],
      ),
    ).toEqual({ accepted: 1, duplicates: 1, rejected: 1 });
    expect(db.prepare('SELECT accepted, duplicates, rejected FROM imports').get()).toEqual({
      accepted: 3,
      duplicates: 2,
      rejected: 1,
    });
    expect(db.prepare('SELECT minute, count FROM minute_counts ORDER BY minute').raw().all()).toEqual([
      [1, 2],
      [2, 1],
    ]);
    db.close();
  });
});
