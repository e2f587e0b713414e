import mysql from 'mysql2/promise';
import type { SourceColumn } from '../../../shared/domain/source.ts';
import { compileGroups, compileRowsWhere, compileServerSearch, type ServerSearch } from './compile-server.ts';
import {
  groupsOf,
  listed,
  selected,
  parseJsonText,
  copyColumn,
  offsetOf,
  perTable,
  timeWindow,
  tlsOptions,
  type ServerTarget,
  type SourceRow,
  type TableReader,
} from './table-reader.ts';

/** `name` quoted for MySQL and MariaDB: in backticks, inner backticks doubled. */
export function quoteMysqlIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/**
 * A connection meant only to read, to MySQL or MariaDB. The server is not trusted: the client
 * never offers LOCAL INFILE (a server could otherwise ask for any file the app can read) and has
 * no stream to answer such a request with; one statement per query; times as the server's text
 * in UTC; big integers and decimals as text, never rounded.
 */
export async function connectMysql(target: ServerTarget): Promise<mysql.Connection> {
  const connection = await mysql.createConnection({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password ?? '',
    ssl: mysqlTls(target),
    connectTimeout: 10_000,
    enableKeepAlive: true,
    keepAliveInitialDelay: 10_000,
    flags: ['-LOCAL_FILES', '-MULTI_STATEMENTS'],
    multipleStatements: false,
    dateStrings: true,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
  });
  // As for PostgreSQL: a connection dropped while idle must not end the process; the next
  // statement fails and its caller reconnects.
  connection.on('error', () => undefined);
  try {
    const [[version]] = (await connection.query('SELECT VERSION() AS v')) as unknown as [[{ v: string }]];
    const timeoutMs = target.statementTimeoutMs ?? 60_000;
    timeouts.set(connection, timeoutMs);
    if (/mariadb/i.test(version.v)) mariadb.add(connection);
    await connection.query("SET SESSION time_zone = '+00:00'");
    await connection.query('SET SESSION TRANSACTION READ ONLY');
    // MariaDB and MySQL name their statement timeouts differently (seconds / milliseconds).
    if (/mariadb/i.test(version.v))
      await connection.query('SET SESSION max_statement_time = ?', [timeoutMs / 1000]);
    else await connection.query('SET SESSION max_execution_time = ?', [timeoutMs]);
  } catch (error) {
    await connection.end().catch(() => undefined);
    throw error;
  }
  return connection;
}

/**
 * mysql2's form of tlsOptions. mysql2 checks the host name only when asked (`verifyIdentity`)
 * and takes no check of its own, so it is asked in both modes: pinned, the file replaces the
 * system's CAs, and the certificate must still name the host.
 */
function mysqlTls(target: ServerTarget): mysql.SslOptions | undefined {
  const tls = tlsOptions(target);
  if (!tls) return undefined;
  return { rejectUnauthorized: true, verifyIdentity: true, ...(tls.ca ? { ca: tls.ca as Buffer } : {}) };
}

/**
 * One statement in a transaction declared READ ONLY: the server refuses any write in it. Values
 * go as parameters of a prepared statement (`execute`), never spliced into the text as `query`
 * would do on the client.
 */
async function readOnly<R>(
  connection: mysql.Connection,
  sql: string,
  values: (string | number)[] = [],
): Promise<R[]> {
  // Every statement with a client-side limit too, a little after the server's: a silent network
  // still ends it. A connection that timed out (or broke) is dropped, not rolled back: its
  // statement is still the one in progress, and anything sent after it would wait behind it.
  const timeout = clientTimeoutMs(connection);
  try {
    await connection.query({ sql: 'START TRANSACTION READ ONLY', timeout });
    const [rows] = await connection.execute({ sql, values, timeout });
    await connection.query({ sql: 'COMMIT', timeout });
    return rows as R[];
  } catch (error) {
    if (
      (error as { fatal?: boolean }).fatal ||
      (error as { code?: string }).code === 'PROTOCOL_SEQUENCE_TIMEOUT'
    )
      connection.destroy();
    else await connection.query({ sql: 'ROLLBACK', timeout }).catch(() => connection.destroy());
    throw error;
  }
}

/** How a search over these columns binds its values: `?` placeholders, in order, into `values`. */
function searchContext(columns: readonly SourceColumn[], values: (string | number)[]) {
  return {
    dialect: 'mysql' as const,
    columns,
    quote: quoteMysqlIdentifier,
    bind: (value: string | number | string[]): string => {
      values.push(Array.isArray(value) ? JSON.stringify(value) : value);
      return '?';
    },
  };
}

/** The server's statement timeout, kept per connection for the client-side limit (+5 s). */
const timeouts = new WeakMap<mysql.Connection, number>();
/** Connections to MariaDB (not MySQL): they limit a statement's time differently. */
const mariadb = new WeakSet<mysql.Connection>();
function clientTimeoutMs(connection: mysql.Connection): number {
  return (timeouts.get(connection) ?? 60_000) + 5_000;
}

/** Values as the rest of the engine reads them: JSON kept as text (MariaDB) parsed, bytes as hex. */
function readValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('hex');
  return parseJsonText(value);
}

export async function openMysqlReader(target: ServerTarget): Promise<TableReader> {
  const connection = await connectMysql(target);
  let listedTables: string[] | undefined;
  const tables = async (): Promise<string[]> => {
    listedTables ??= (
      await readOnly<{ name: string }>(
        connection,
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1',
      )
    ).map((r) => r.name);
    return listedTables;
  };
  const named = async (table: string): Promise<string> => listed(table, await tables(), 'table');
  const columns = perTable(async (table): Promise<SourceColumn[]> =>
    (
      await readOnly<{ name: string; type: string }>(
        connection,
        `SELECT column_name AS name, data_type AS type FROM information_schema.columns
          WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`,
        [await named(table)],
      )
    ).map((r) => ({ name: r.name, type: r.type })),
  );
  const keyColumn = perTable(async (table): Promise<string | undefined> => {
    const keys = await readOnly<{ name: string }>(
      connection,
      `SELECT column_name AS name FROM information_schema.key_column_usage
        WHERE table_schema = DATABASE() AND table_name = ? AND constraint_name = 'PRIMARY'`,
      [await named(table)],
    );
    return keys.length === 1 ? keys[0]?.name : undefined;
  });
  const sequenceKey = perTable(async (table): Promise<boolean> => {
    const key = await keyColumn(table);
    if (key === undefined) return false;
    const [column] = await readOnly<{ extra: string }>(
      connection,
      `SELECT extra AS extra FROM information_schema.columns
        WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?`,
      [await named(table), key],
    );
    return /auto_increment/i.test(column?.extra ?? '');
  });
  /** `FROM … WHERE …` of the rows a search selects (those with a time: what `rows` pages through). */
  const countQuery = async (table: string, options: { timeColumn: string; search: ServerSearch }) => {
    const name = await named(table);
    const values: (string | number)[] = [];
    const where = compileRowsWhere(
      options.search,
      options.timeColumn,
      searchContext(await columns(table), values),
    );
    return { sql: `FROM ${quoteMysqlIdentifier(name)} WHERE ${where.join(' AND ')}`, values };
  };

  return {
    location: `mysql://${target.user}@${target.host}:${target.port}/${target.database}`,
    tables,
    columns,
    keyColumn,
    sequenceKey,
    serverMicros: async () => {
      const [row] = await readOnly<{ micros: string | number }>(
        connection,
        `SELECT CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) AS CHAR) AS micros`,
        [],
      );
      return Number(row?.micros);
    },
    newestTime: async (table, timeColumn, before) => {
      const name = await named(table);
      const names = (await columns(table)).map((c) => c.name);
      const time = quoteMysqlIdentifier(listed(timeColumn, names, 'column'));
      const [row] = await readOnly<{ newest: unknown }>(
        connection,
        `SELECT MAX(${time}) AS newest FROM ${quoteMysqlIdentifier(name)} WHERE ${time} < ?`,
        [before],
      );
      return row?.newest ?? undefined;
    },
    newestTimes: async (table, timeColumn, key, limit) => {
      const name = await named(table);
      const names = (await columns(table)).map((c) => c.name);
      const time = quoteMysqlIdentifier(listed(timeColumn, names, 'column'));
      const ordered = quoteMysqlIdentifier(listed(key, names, 'column'));
      const rows = await readOnly<{ time: unknown }>(
        connection,
        `SELECT ${time} AS time FROM ${quoteMysqlIdentifier(name)} WHERE ${time} IS NOT NULL ORDER BY ${ordered} DESC LIMIT ?`,
        [limit],
      );
      return rows.map((row) => row.time);
    },
    rows: async (table, options) => {
      const name = await named(table);
      const listedColumns = await columns(table);
      const names = listedColumns.map((c) => c.name);
      const time = quoteMysqlIdentifier(listed(options.timeColumn, names, 'column'));
      const key =
        options.key === undefined ? undefined : quoteMysqlIdentifier(listed(options.key, names, 'column'));
      const values: (string | number)[] = [];
      const where = timeWindow(time, options, (value) => (values.push(value), '?'));
      if (options.search)
        where.push(
          ...compileServerSearch(options.search, options.timeColumn, searchContext(listedColumns, values)),
        );
      if (options.keys && key !== undefined) {
        // As DECIMAL: a BIGINT compared with text is compared as a double (see the keyset below).
        const { above, missing } = options.keys;
        const exact = 'CAST(? AS DECIMAL(65, 0))';
        where.push(
          `(${key} > ${exact}` +
            (missing.length > 0 ? ` OR ${key} IN (${missing.map(() => exact).join(', ')}))` : ')'),
        );
        values.push(above, ...missing);
      }
      if (options.keyAtMost !== undefined && key !== undefined) {
        where.push(`${key} <= CAST(? AS DECIMAL(65, 0))`);
        values.push(options.keyAtMost);
      }
      // By key, new and late rows come in key order: a range of the primary key, no sort.
      const byKey = options.keys !== undefined && key !== undefined;
      const desc = options.order === 'desc' && !byKey;
      const after = desc ? '<' : '>';
      const position = options.position;
      const integerKey = /int$/i.test(listedColumns.find((c) => c.name === options.key)?.type ?? '');
      const keyValue = integerKey ? 'CAST(? AS DECIMAL(65, 0))' : '?';
      if (byKey && position !== undefined && 'key' in position) {
        where.push(`${key} > ${keyValue}`);
        values.push(String(position.key));
      } else if (position !== undefined && 'time' in position && key !== undefined) {
        // Spelled out rather than `(a, b) > (?, ?)`, which MySQL does not use an index for. An
        // integer key is bound as a DECIMAL: a BIGINT compared with text is compared as a double,
        // which cannot tell apart ids that differ in their low bits.
        where.push(`(${time} ${after} ? OR (${time} = ? AND ${key} ${after} ${keyValue}))`);
        values.push(...[position.time, position.time, position.key].map(String));
      }
      const direction = desc ? ' DESC' : '';
      // Without a key, ties in time are ordered by every column (see the PostgreSQL reader), as
      // bytes: text compared in the usual collations is equal in another case or accent ('Bob',
      // 'bob'), which would leave their order, and their copy numbers, to the server's whim.
      const ties = key
        ? [key]
        : names
            .filter((n) => n !== options.timeColumn)
            .map((n) => `CAST(${quoteMysqlIdentifier(n)} AS BINARY)`);
      // Numbered over all that matches (see the PostgreSQL reader). MySQL 8 and MariaDB 10.2 on.
      const copies = copyColumn(options.numberCopies && !key, [time, ...ties], quoteMysqlIdentifier);
      values.push(options.limit, offsetOf(position));
      const rows = await readOnly<SourceRow>(
        connection,
        `SELECT ${[...selected(options.columns, names).map(quoteMysqlIdentifier), ...copies].join(', ')} FROM ${quoteMysqlIdentifier(name)}` +
          ` WHERE ${where.join(' AND ')}` +
          ` ORDER BY ${(byKey ? [key] : [time, ...ties]).map((t) => `${t}${direction}`).join(', ')} LIMIT ? OFFSET ?`,
        values,
      );
      return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, readValue(v)])));
    },
    count: async (table, options) => {
      const { sql, values } = await countQuery(table, options);
      const [row] = await readOnly<{ n: number | string }>(connection, `SELECT COUNT(*) AS n ${sql}`, values);
      return Number(row?.n ?? 0);
    },
    countWithin: async (table, options) => {
      const { sql, values } = await countQuery(table, options);
      const ms = Math.max(1, Math.trunc(options.timeoutMs));
      // MariaDB limits one statement with SET STATEMENT, MySQL with an optimizer hint.
      const limited = mariadb.has(connection)
        ? `SET STATEMENT max_statement_time = ${ms / 1000} FOR SELECT COUNT(*) AS n ${sql}`
        : `SELECT /*+ MAX_EXECUTION_TIME(${ms}) */ COUNT(*) AS n ${sql}`;
      try {
        const [row] = await readOnly<{ n: number | string }>(connection, limited, values);
        return { count: Number(row?.n ?? 0), exact: true };
      } catch (error) {
        // 1969: MariaDB's max_statement_time; 3024: MySQL's max_execution_time.
        const code = (error as { errno?: number }).errno;
        if (code !== 1969 && code !== 3024) throw error;
      }
      const [plan] = await readOnly<{ rows: number | string | null }>(
        connection,
        `EXPLAIN SELECT 1 ${sql}`,
        values,
      );
      return { count: Number(plan?.rows ?? 0), exact: false };
    },
    groups: async (table, options) => {
      const values: (string | number)[] = [];
      const sql = compileGroups(
        quoteMysqlIdentifier(await named(table)),
        options.timeColumn,
        options.search,
        options.by,
        searchContext(await columns(table), values),
      );
      return groupsOf(await readOnly<Record<string, unknown>>(connection, sql, values));
    },
    cancel: async () => {
      // KILL takes no parameter: the thread id is the driver's own integer, never outside text.
      const other = await connectMysql(target);
      try {
        await other.query(`KILL QUERY ${Math.trunc(Number(connection.threadId))}`);
      } finally {
        await other.end().catch(() => undefined);
      }
    },
    close: () => connection.end(),
  };
}
