import Database from 'better-sqlite3';
import type { SourceColumn } from '../../../shared/domain/source.ts';
import { WorkerClient, workerEntry, type Methods } from '../workers/rpc.ts';
import { PushDownError } from './compile-server.ts';
import {
  listed,
  selected,
  offsetOf,
  parseJsonText,
  quoteIdentifier,
  ROWID,
  copyColumn,
  timeWindow,
  type SourceRow,
  type TableReader,
} from './table-reader.ts';

type ReadOptions = Parameters<TableReader['rows']>[1];

/**
 * What the SQLite source worker serves: an SQLite database another application writes, opened
 * read-only (and `query_only`, so not even a temporary table can be made). better-sqlite3 is
 * synchronous, so this runs in a worker thread: a sort over a large table never stalls the
 * thread the case lives on (the desktop app's main process).
 */
export function createSqliteSourceMethods() {
  let db: Database.Database | undefined;
  const open = (): Database.Database => {
    if (!db) throw new Error('no SQLite source open');
    return db;
  };
  const tables = (): string[] =>
    (
      open()
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )
        .all() as { name: string }[]
    ).map((r) => r.name);
  // Read once per table while the source is open: a pull reads hundreds of pages of one table.
  const columnCache = new Map<string, { name: string; type: string; pk: number }[]>();
  const columnRows = (table: string) => {
    let found = columnCache.get(table);
    if (!found) {
      found = open()
        .prepare('SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid')
        .all(listed(table, tables(), 'table')) as { name: string; type: string; pk: number }[];
      columnCache.set(table, found);
    }
    return found;
  };
  /** Whether rows have a rowid to order ties by: not views, not WITHOUT ROWID tables, not a shadowed name. */
  const hasRowid = (table: string): boolean => {
    const row = open().prepare('SELECT type, sql FROM sqlite_schema WHERE name = ?').get(table) as
      { type: string; sql: string | null } | undefined;
    if (row?.type !== 'table' || /without\s+rowid/i.test(row.sql ?? '')) return false;
    return !columnRows(table).some((c) => ['rowid', '_rowid_', 'oid'].includes(c.name.toLowerCase()));
  };
  return {
    open: (file: string): void => {
      columnCache.clear();
      db = new Database(file, { readonly: true, fileMustExist: true });
      db.pragma('query_only = 1');
    },
    tables,
    columns: (table: string): SourceColumn[] => columnRows(table).map(({ name, type }) => ({ name, type })),
    keyColumn: (table: string): string | undefined => {
      const keys = columnRows(table).filter((c) => c.pk > 0);
      if (keys.length === 1) return keys[0]?.name;
      return hasRowid(table) ? ROWID : undefined;
    },
    rows: (table: string, options: ReadOptions): SourceRow[] => {
      const columns = columnRows(table).map((c) => c.name);
      const time = quoteIdentifier(listed(options.timeColumn, columns, 'column'));
      const key =
        options.key === undefined
          ? undefined
          : options.key === ROWID
            ? 'rowid'
            : quoteIdentifier(listed(options.key, columns, 'column'));
      const values: unknown[] = [];
      const where = timeWindow(time, options, (value) => (values.push(value), '?'));
      const position = options.position;
      if (position !== undefined && 'time' in position && key !== undefined) {
        where.push(`(${time}, ${key}) > (?, ?)`);
        values.push(position.time, position.key);
      }
      // Without a key (a view), ties in time are ordered by every column, and identical rows
      // numbered, as on the servers (see the PostgreSQL reader).
      const ties = key ? [key] : columns.filter((c) => c !== options.timeColumn).map(quoteIdentifier);
      const select = [
        ...selected(options.columns, columns).map(quoteIdentifier),
        ...(key === 'rowid' ? [`rowid AS ${quoteIdentifier(ROWID)}`] : []),
        ...copyColumn(options.numberCopies && !key, [time, ...ties], quoteIdentifier),
      ];
      const sql =
        `SELECT ${select.join(', ')} FROM ${quoteIdentifier(table)} WHERE ${where.join(' AND ')}` +
        ` ORDER BY ${[time, ...ties].join(', ')} LIMIT ? OFFSET ?`;
      values.push(options.limit, offsetOf(position));
      return (
        open()
          .prepare(sql)
          .all(...values) as SourceRow[]
      ).map((row) =>
        Object.fromEntries(Object.entries(row).map(([name, value]) => [name, parseJsonText(value)])),
      );
    },
    close: (): void => {
      db?.close();
      db = undefined;
      columnCache.clear();
    },
  } satisfies Methods;
}

type SqliteSourceMethods = ReturnType<typeof createSqliteSourceMethods>;

const IN_PLACE = 'an SQLite file is not searched in place: pull it into a case and search there';

/** An SQLite source read in its own worker thread (see createSqliteSourceMethods). */
export async function openSqliteReader(file: string): Promise<TableReader> {
  const worker = new WorkerClient<SqliteSourceMethods>(workerEntry('sqlite-source-worker'), {});
  try {
    await worker.call.open(file);
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  const call = worker.call;
  return {
    location: `sqlite:${file}`,
    tables: () => call.tables(),
    columns: (table) => call.columns(table),
    keyColumn: (table) => call.keyColumn(table),
    rows: (table, { search, order, keys, ...options }) => {
      // Key filters serve live tails, which follow servers only (see tail.followTable).
      if (search || order === 'desc' || keys || options.keyAtMost !== undefined)
        throw new PushDownError(IN_PLACE);
      return call.rows(table, options);
    },
    count: () => Promise.reject(new PushDownError(IN_PLACE)),
    countWithin: () => Promise.reject(new PushDownError(IN_PLACE)),
    groups: () => Promise.reject(new PushDownError(IN_PLACE)),
    // A file on this machine, read a page at a time: nothing runs long enough to need it.
    cancel: () => Promise.resolve(),
    close: async () => {
      await call.close().catch(() => undefined);
      await worker.terminate();
    },
  };
}
