import Database from 'better-sqlite3';
import type { SourceColumn } from '../../../shared/domain/source.ts';
import { listed, parseJsonText, quoteIdentifier, type SourceRow, type TableReader } from './table-reader.ts';

/**
 * An SQLite database another application writes, opened read-only (and `query_only`, so not even
 * a temporary table can be made): the file is never changed, not even by opening it.
 */
export function openSqliteReader(file: string): TableReader {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('query_only = 1');
  const tables = (): string[] =>
    (
      db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )
        .all() as { name: string }[]
    ).map((r) => r.name);
  const columnRows = (table: string) =>
    db
      .prepare('SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid')
      .all(listed(table, tables(), 'table')) as {
      name: string;
      type: string;
      pk: number;
    }[];
  const isView = (table: string): boolean =>
    (db.prepare('SELECT type FROM sqlite_schema WHERE name = ?').pluck().get(table) as string | undefined) ===
    'view';
  return {
    location: `sqlite:${file}`,
    tables: async () => tables(),
    columns: async (table): Promise<SourceColumn[]> =>
      columnRows(table).map(({ name, type }) => ({ name, type })),
    keyColumn: async (table) => {
      const keys = columnRows(table).filter((c) => c.pk > 0);
      if (keys.length === 1) return keys[0]?.name;
      return isView(table) ? undefined : 'rowid';
    },
    rows: async (table, options) => {
      const columns = columnRows(table).map((c) => c.name);
      const time = quoteIdentifier(listed(options.timeColumn, columns, 'column'));
      const key =
        options.key === undefined
          ? undefined
          : options.key === 'rowid'
            ? 'rowid'
            : quoteIdentifier(listed(options.key, columns, 'column'));
      const where: string[] = [];
      const values: unknown[] = [];
      if (options.from !== undefined) {
        where.push(`${time} >= ?`);
        values.push(options.from);
      }
      if (options.to !== undefined) {
        where.push(`${time} < ?`);
        values.push(options.to);
      }
      const position = options.position;
      if (position !== undefined && 'time' in position && key !== undefined) {
        where.push(`(${time}, ${key}) > (?, ?)`);
        values.push(position.time, position.key);
      }
      const select = [
        ...columns.map(quoteIdentifier),
        ...(key === 'rowid' ? ['rowid AS "__rowid"'] : []),
      ].join(', ');
      const sql =
        `SELECT ${select} FROM ${quoteIdentifier(table)}` +
        (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
        ` ORDER BY ${time}${key ? `, ${key}` : ''} LIMIT ? OFFSET ?`;
      values.push(options.limit, position !== undefined && 'offset' in position ? position.offset : 0);
      return (db.prepare(sql).all(...values) as SourceRow[]).map((row) =>
        Object.fromEntries(Object.entries(row).map(([name, value]) => [name, parseJsonText(value)])),
      );
    },
    close: async () => {
      db.close();
    },
  };
}
