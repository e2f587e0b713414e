import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { checkServerIdentity, type ConnectionOptions } from 'node:tls';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
import type { SourceColumn, TlsMode } from '../../../shared/domain/source.ts';
import type { ServerSearch } from './compile-server.ts';

/** A database server to read from (PostgreSQL, MySQL or MariaDB). */
export interface ServerTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string | undefined;
  /** See TlsMode: `verify` against the system's CAs, `pinned` to `certificate`, or `disable`. */
  tls: TlsMode;
  /** The pinned certificate's PEM file (with `tls: 'pinned'`). */
  certificate?: string | undefined;
  /** Longest a statement may run before the server cancels it. */
  statementTimeoutMs?: number;
}

/**
 * The TLS options of a server connection (pg and mysql2 take Node's): undefined for no TLS.
 * Pinned: only the chosen file is trusted (not the system's CAs). A server presenting exactly a
 * certificate of that file is identified by it, whatever name it carries; a certificate the file
 * only signed (the file is a CA) must still name the host, as any certificate would.
 */
export function tlsOptions(target: ServerTarget): ConnectionOptions | undefined {
  if (target.tls === 'disable') return undefined;
  if (target.tls === 'verify') return { rejectUnauthorized: true };
  if (!target.certificate) throw new Error('TLS pinned to a certificate, but no certificate file is named');
  let ca: Buffer;
  try {
    ca = readFileSync(target.certificate);
  } catch (error) {
    throw new Error(`cannot read the pinned certificate: ${(error as Error).message}`, { cause: error });
  }
  const pinned = new Set(
    (ca.toString('latin1').match(PEM_CERTIFICATE) ?? []).map(
      (pem) => new X509Certificate(pem).fingerprint256,
    ),
  );
  if (pinned.size === 0) throw new Error('the pinned certificate file holds no PEM certificate');
  return {
    rejectUnauthorized: true,
    ca,
    checkServerIdentity: (host, certificate) =>
      pinned.has(certificate.fingerprint256) ? undefined : checkServerIdentity(host, certificate),
  };
}

/** A row as read from a source: column → value (JSON columns already objects). */
export type SourceRow = Record<string, unknown>;

/** How `groups` groups: time buckets, a field's values, or just the time range. */
export type GroupBy =
  { kind: 'bucket'; seconds: number } | { kind: 'field'; field: string; limit: number } | { kind: 'range' };

/** One group: its value (a bucket's start, a field's text; for `range`, [first, last]) and count. */
export interface Group {
  value: unknown;
  count: number;
}

/** Groups as both servers answer compileGroups' SELECT (counts may come as text: bigint). */
export function groupsOf(rows: Record<string, unknown>[]): Group[] {
  return rows.map((row) =>
    'first' in row
      ? { value: [row.first, row.last], count: Number(row.n) }
      : { value: row.value, count: Number(row.n) },
  );
}

/**
 * Where a page of rows starts: after this time and key (keyset), or at an offset when the table
 * has no key; a keyset position may skip `offset` rows more (a jump into a long result lands
 * near a page already read, rather than counting from the first row).
 */
export type PagePosition = { time: unknown; key: unknown; offset?: number } | { offset: number } | undefined;

/** Rows by an integer key (a followed table's): above `above`, or one of `missing` (decimal text). */
export interface KeyFilter {
  above: string;
  missing: string[];
}

/**
 * The first WHERE clauses of every page of rows: a time (a NULL time has no place in time order
 * and would end keyset paging: such rows are not read), within [from, to) when given, bound with
 * the reader's own placeholders.
 */
export function timeWindow(
  time: string,
  window: { from?: string | undefined; to?: string | undefined },
  bind: (value: string) => string,
): string[] {
  return [
    `${time} IS NOT NULL`,
    ...(window.from !== undefined ? [`${time} >= ${bind(window.from)}`] : []),
    ...(window.to !== undefined ? [`${time} < ${bind(window.to)}`] : []),
  ];
}

/** The rows a page position skips by OFFSET. */
export function offsetOf(position: PagePosition): number {
  return position?.offset ?? 0;
}

/**
 * One read-only database, table by table. Table and column names are only ever taken from what
 * the database itself listed (the allowlist), quoted by the reader; values are only ever bound
 * parameters. Nothing here can write.
 */
export interface TableReader {
  /** Where the rows come from, without any secret: for the case's provenance. */
  readonly location: string;
  /** Tables and views, as `schema.table` (PostgreSQL) or `table` (SQLite). */
  tables(): Promise<string[]>;
  columns(table: string): Promise<SourceColumn[]>;
  /** A single-column key to order ties by (a primary key, SQLite's rowid), if the table has one. */
  keyColumn(table: string): Promise<string | undefined>;
  /**
   * Whether that key is handed out by the server in increasing order as rows are inserted
   * (PostgreSQL serial or identity with a sequence cache of 1, MySQL AUTO_INCREMENT): what lets a
   * tail poll by key (see KeyGaps). Servers only.
   */
  sequenceKey?(table: string): Promise<boolean>;
  /**
   * The server's clock now (µs since the epoch): where a tail following from now starts, and how
   * far its cursor may go (a row dated in the future must not move it past the rows to come).
   * Servers only.
   */
  serverMicros?(): Promise<number>;
  /**
   * The newest time in `timeColumn` before `before` (the server's time text), as rows carry it;
   * undefined when there is none. Servers only (one index search where the column has an index).
   */
  newestTime?(table: string, timeColumn: string, before: string): Promise<unknown>;
  /**
   * The times in `timeColumn` of the `limit` rows with the highest `key` (the last inserted, for a
   * key the server hands out in order), as rows carry them. Servers only.
   */
  newestTimes?(table: string, timeColumn: string, key: string, limit: number): Promise<unknown[]>;
  /**
   * Rows in (time, key) order (newest first with `order: 'desc'`), `limit` of them from
   * `position`, within [from, to) when given (the server's own time text), matching `search` when
   * given: compiled to the server's SQL (compile-server.ts), so only matching rows travel. With
   * `keys`, in key order (ascending), from after `position`'s key: ranges of the key's index.
   */
  rows(
    table: string,
    options: {
      timeColumn: string;
      key?: string;
      position?: PagePosition;
      limit: number;
      from?: string;
      to?: string;
      search?: ServerSearch;
      order?: 'asc' | 'desc';
      /** Only rows whose (integer) `key` passes this filter. */
      keys?: KeyFilter;
      /** Only rows whose (integer) `key` is at most this (decimal text). */
      keyAtMost?: string;
      /** Only these of the table's columns (a tail reading which keys its window holds). */
      columns?: readonly string[];
      /**
       * Without a key: each row also carries COPY, its number among the rows identical to it in
       * all that matches (1, 2, …), so that identical rows are told apart.
       */
      numberCopies?: boolean;
    },
  ): Promise<SourceRow[]>;
  /** How many rows match `search`, counted by the server (within its statement timeout). */
  count(table: string, options: { timeColumn: string; search: ServerSearch }): Promise<number>;
  /**
   * The same, given `timeoutMs` to count: past it, the server's own estimate for the search
   * (its query planner's), marked `exact: false`.
   */
  countWithin(
    table: string,
    options: { timeColumn: string; search: ServerSearch; timeoutMs: number },
  ): Promise<{ count: number; exact: boolean }>;
  /**
   * The matching rows counted by the server per group: per time bucket (`seconds` long, starts
   * in epoch seconds, oldest first), or per value of a field (the `limit` most frequent first).
   * Also the first and last time of the matching rows (`range`, as the server writes them).
   */
  groups(table: string, options: { timeColumn: string; search: ServerSearch; by: GroupBy }): Promise<Group[]>;
  /**
   * Asks the server to stop the statement this reader is running (from a connection of its own):
   * that statement fails as cancelled. Statements queued behind it still run.
   */
  cancel(): Promise<void>;
  /**
   * PostgreSQL only: calls `onNotify` whenever the server NOTIFYs `channel` (on a connection of
   * its own); resolves to a function that stops listening. A hint, never a source of rows.
   */
  listen?(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * The key name a reader uses for SQLite's rowid. Read beside the row's columns for paging, and
 * never written into a pulled record (the registry drops it).
 */
export const ROWID = '__auditscope_rowid';

/**
 * The key name under which a reader numbers identical rows of a table without a key (`numberCopies`):
 * never written into a record as such (see `ownColumns`).
 */
export const COPY = '__auditscope_copy';

/**
 * The column numbering identical rows (COPY), when `wanted`: a row's number among those with the
 * same values in `partition` (its time and every other column), over all that the read matches
 * (window functions: PostgreSQL, SQLite, MySQL 8, MariaDB 10.2 on).
 */
export function copyColumn(
  wanted: boolean | undefined,
  partition: readonly string[],
  quote: (name: string) => string,
): string[] {
  return wanted ? [`ROW_NUMBER() OVER (PARTITION BY ${partition.join(', ')}) AS ${quote(COPY)}`] : [];
}

/**
 * What a record names the copy number of a row identical to others (2, 3, …) by: the first copy is
 * the row alone, as before copies were numbered, so its event keeps its id.
 */
export const COPY_FIELD = 'auditscope_copy';

/**
 * The row's own columns: without SQLite's rowid, when it was read (copied only then); a row
 * identical to others read before it in the same read gets its copy number (COPY_FIELD), without
 * which it would be the same record, the same event, stored once.
 */
export function ownColumns(row: SourceRow): SourceRow {
  if (!(ROWID in row) && !(COPY in row)) return row;
  const { [ROWID]: _rowid, [COPY]: copy, ...own } = row;
  const number = Number(copy ?? 1);
  return number > 1 ? { ...own, [COPY_FIELD]: number } : own;
}

/** `"name"` with inner quotes doubled: PostgreSQL and SQLite quote identifiers alike. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Text that holds a JSON object or array (SQLite keeps JSON as text) is read as that value. */
export function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * What a reader learns of a table (its columns, its key), asked of the server once per table
 * while the reader is open: pulls, tails and browsing read page after page of the same table. A
 * failed answer is not kept.
 */
export function perTable<T>(load: (table: string) => Promise<T>): (table: string) => Promise<T> {
  const known = new Map<string, Promise<T>>();
  return (table) => {
    let found = known.get(table);
    if (!found) {
      found = load(table);
      known.set(table, found);
      found.catch(() => known.delete(table));
    }
    return found;
  };
}

/** The columns a read asked for (each one the database listed), or all of them. */
export function selected(columns: readonly string[] | undefined, allowed: readonly string[]): string[] {
  return columns === undefined ? [...allowed] : columns.map((name) => listed(name, allowed, 'column'));
}

/** Refuses any name the database did not list. */
export function listed(name: string, allowed: readonly string[], what: string): string {
  if (!allowed.includes(name))
    throw new Error(`no ${what} ${JSON.stringify(name.slice(0, 200))} in this source`);
  return name;
}
