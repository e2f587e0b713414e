import Database from 'better-sqlite3';
import { MIGRATIONS } from './schema.ts';
import { registerSqlFunctions } from '../query/ip-match.ts';

export type CaseDb = Database.Database;

export class CaseFileError extends Error {}

/**
 * Opens (creating if needed) a case file for writing: WAL so readers never block the writer,
 * `synchronous=FULL` because "imported" must mean durable (better-sqlite3 defaults WAL to NORMAL),
 * migrations applied, stale imports of a crashed process marked interrupted.
 */
export function openCaseForWriting(path: string): CaseDb {
  const db = new Database(path);
  try {
    // Refuse a foreign database before any pragma that would change it on disk (journal mode).
    assertCaseOrEmpty(db);
    // 16 KiB pages: an event row with its original record is ~1.5 KiB, and at 4 KiB pages the
    // B-tree splits so often that bulk inserts run ~30 % slower (measured on 1M events). Only a
    // new, empty file takes a page size, and only before WAL mode is set.
    if (Number(db.pragma('user_version', { simple: true })) === 0) db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -131072');
    db.pragma('temp_store = MEMORY');
    // Checkpoint every 64 MiB of WAL rather than every 4 MiB: bulk imports rewrite fewer pages.
    db.pragma('wal_autocheckpoint = 16384');
    migrate(db);
    // A process killed mid-import left its import row 'running'; its committed batches stay.
    db.prepare(`UPDATE imports SET status = 'interrupted' WHERE status = 'running'`).run();
    registerSqlFunctions(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Runs `write` with `synchronous=NORMAL`: its commits are as atomic and the case as consistent
 * after any crash, but if the machine itself loses power, the commits since the disk last synced
 * (the WAL's, at a checkpoint or at any `FULL` commit) can be lost. No wait for the disk at each
 * commit, which costs a tail a third of its time. Only for writes that are redone if lost: the
 * free-text index (from its high-water mark) and a tail's batches (a file tail's spool is on disk
 * before its import, and re-imported when the case does not record it; a table tail resumes after
 * the last batch the case records).
 */
export function withoutWaitingForDisk<T>(db: CaseDb, write: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

/** Opens an existing case file read-only for queries, from any thread, alongside the writer. */
export function openCaseForReading(path: string): CaseDb {
  let db: CaseDb;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new CaseFileError(`cannot open case file ${path}: ${(error as Error).message}`);
  }
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version === 0 || version > MIGRATIONS.length) {
    db.close();
    throw new CaseFileError(
      version === 0 ? `${path} is not an Auditscope case file` : `${path} was written by a newer Auditscope`,
    );
  }
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  registerSqlFunctions(db);
  return db;
}

const preparedStatements = new WeakMap<CaseDb, Map<string, Database.Statement>>();

/** `sql` prepared once per connection: for the few statements asked before most queries or batches. */
export function preparedOnce(db: CaseDb, sql: string): Database.Statement {
  let statements = preparedStatements.get(db);
  if (!statements) preparedStatements.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/** The newest event's rowid (0 for none): where a case stands. */
export function lastEventRowid(db: CaseDb): number {
  return preparedOnce(db, 'SELECT coalesce(max(rowid), 0) FROM events').pluck().get() as number;
}

/**
 * Whether the case has this table: a case from before a migration, opened only to read, lacks
 * the newer ones, and reads that find none answer "nothing" instead of failing.
 */
export function hasTable(db: CaseDb, name: string): boolean {
  return (
    db.prepare('SELECT 1 FROM sqlite_schema WHERE type = ? AND name = ?').get('table', name) !== undefined
  );
}

function assertCaseOrEmpty(db: CaseDb): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > MIGRATIONS.length) {
    throw new CaseFileError('this case file was written by a newer Auditscope');
  }
  if (version === 0 && db.prepare(`SELECT count(*) AS n FROM sqlite_schema`).pluck().get() !== 0) {
    throw new CaseFileError('this file is an SQLite database but not an Auditscope case file');
  }
}

function migrate(db: CaseDb): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  for (let next = version; next < MIGRATIONS.length; next++) {
    const sql = MIGRATIONS[next] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${next + 1}`);
    })();
  }
}
