import pg from 'pg';
import type { SourceColumn } from '../../../shared/domain/source.ts';
import { compileGroups, compileRowsWhere, compileServerSearch, type ServerSearch } from './compile-server.ts';
import {
  listed,
  selected,
  groupsOf,
  copyColumn,
  offsetOf,
  perTable,
  type KeyFilter,
  type PagePosition,
  timeWindow,
  quoteIdentifier,
  tlsOptions,
  type ServerTarget,
  type SourceRow,
  type TableReader,
} from './table-reader.ts';

export type PostgresTarget = ServerTarget;

/** Timestamps and dates stay the text the server wrote (no local-time Date conversion). */
const TEXT_TYPES = new Set([1082, 1114, 1184]);

/**
 * A connection meant only to read: read-only by default from its start-up (and every statement
 * of ours runs in an explicit READ ONLY transaction besides, see `readOnly`), statements time
 * out, times in UTC and ISO form whatever the server's defaults.
 */
export async function connectPostgres(target: PostgresTarget): Promise<pg.Client> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    // Always ours (a function, so pg never looks further): with none, pg would fall back to
    // PGPASSWORD or ~/.pgpass, which belong to other servers, and this one is named by the
    // analyst (or the page). Without a kept password a server that asks for one gets a blank and
    // refuses; one that asks for none (trust) is unaffected.
    password: () => target.password || ' ',
    ssl: tlsOptions(target) ?? false,
    connectionTimeoutMillis: 10_000,
    statement_timeout: target.statementTimeoutMs ?? 60_000,
    // The same limit on this side, a little later: a server or network that has gone silent
    // (no error, no answer) must still end the statement, so that a tail reconnects.
    query_timeout: (target.statementTimeoutMs ?? 60_000) + 5_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'auditscope (read-only)',
    options: '-c default_transaction_read_only=on -c TimeZone=UTC -c DateStyle=ISO',
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        TEXT_TYPES.has(oid)
          ? (value: string) => value
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // A connection the server ends while idle (a restart, pg_terminate_backend, a network cut) is
  // reported as an 'error' event, which unheard would end the process. The next query fails
  // ("not queryable") and its caller reconnects: nothing else is needed here.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/**
 * One statement in a transaction declared READ ONLY before it runs: the server refuses any write
 * in it, and nothing run inside (a function behind a view) can turn that off for it.
 */
async function readOnly<R extends pg.QueryResultRow>(
  client: pg.Client,
  sql: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  await client.query('BEGIN TRANSACTION READ ONLY');
  try {
    const result = await client.query<R>(sql, values);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * A page of rows by key (a followed table's new and late rows: see TableReader.rows), in key
 * order: one index range of the key for the rows above `above`, one index lookup for the missing
 * keys, merged. The planner takes those whatever it knows of the table. `key > x OR key = ANY(…)`
 * is no range: on a table not analyzed yet (one created minutes ago) it scanned the whole table at
 * every poll, hundreds of milliseconds once it held a million rows. Bound as bigint, not numeric:
 * the key's index stays usable.
 */
function keyedRows(
  key: string,
  keys: KeyFilter,
  page: {
    columns: string;
    from: string;
    where: string[];
    position: PagePosition;
    limit: number;
    bind: (value: unknown) => string;
  },
): string {
  const { bind, position } = page;
  const past =
    position !== undefined && 'key' in position
      ? ` AND ${key} > CAST(${bind(String(position.key))} AS bigint)`
      : '';
  const limit = bind(page.limit);
  const branch = (condition: string): string =>
    `SELECT ${page.columns} FROM ${page.from} WHERE ${[...page.where, condition].join(' AND ')}${past} ORDER BY ${key} LIMIT ${limit}`;
  const above = branch(`${key} > CAST(${bind(keys.above)} AS bigint)`);
  const offset = ` OFFSET ${bind(offsetOf(position))}`;
  if (keys.missing.length === 0) return above + offset;
  const missing = branch(`${key} = ANY(CAST(${bind(keys.missing)} AS bigint[]))`);
  return `SELECT * FROM ((${missing}) UNION ALL (${above})) AS page ORDER BY ${key} LIMIT ${limit}${offset}`;
}

export async function openPostgresReader(target: PostgresTarget): Promise<TableReader> {
  const client = await connectPostgres(target);
  let listedTables: Map<string, [string, string]> | undefined;
  const tables = async (): Promise<Map<string, [string, string]>> => {
    if (listedTables) return listedTables;
    const result = await readOnly<{ table_schema: string; table_name: string }>(
      client,
      "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2",
    );
    listedTables = new Map(
      result.rows.map((r) => [`${r.table_schema}.${r.table_name}`, [r.table_schema, r.table_name]]),
    );
    return listedTables;
  };
  const qualified = async (table: string): Promise<[string, string]> => {
    const found = (await tables()).get(table);
    if (!found) throw new Error(`no table ${JSON.stringify(table.slice(0, 200))} in this source`);
    return found;
  };
  const columns = perTable(async (table): Promise<SourceColumn[]> => {
    const [schema, name] = await qualified(table);
    const result = await readOnly<{ column_name: string; data_type: string }>(
      client,
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
      [schema, name],
    );
    return result.rows.map((r) => ({ name: r.column_name, type: r.data_type }));
  });
  const keyColumn = perTable(async (table): Promise<string | undefined> => {
    const [schema, name] = await qualified(table);
    // From the catalog, not information_schema: that hides constraints from a role that may
    // only SELECT, which is how a source should be connected.
    const result = await readOnly<{ attname: string }>(
      client,
      `SELECT a.attname FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = to_regclass(quote_ident($1) || '.' || quote_ident($2)) AND i.indisprimary`,
      [schema, name],
    );
    return result.rows.length === 1 ? result.rows[0]?.attname : undefined;
  });

  const sequenceKey = perTable(async (table): Promise<boolean> => {
    const key = await keyColumn(table);
    if (key === undefined) return false;
    const [schema, name] = await qualified(table);
    // A cached sequence hands each session its own block of values: keys then commit out of order.
    const result = await readOnly<{ seqcache: string }>(
      client,
      `SELECT s.seqcache FROM pg_sequence s
        WHERE s.seqrelid = pg_get_serial_sequence(quote_ident($1) || '.' || quote_ident($2), $3)::regclass`,
      [schema, name, key],
    );
    return result.rows.length === 1 && Number(result.rows[0]?.seqcache) === 1;
  });

  /** `FROM … WHERE …` of the rows a search selects (those with a time: what `rows` pages through). */
  const countQuery = async (table: string, options: { timeColumn: string; search: ServerSearch }) => {
    const [schema, name] = await qualified(table);
    const values: unknown[] = [];
    const where = compileRowsWhere(options.search, options.timeColumn, {
      dialect: 'postgres',
      columns: await columns(table),
      quote: quoteIdentifier,
      bind: (value) => `$${values.push(value)}`,
    });
    return {
      sql: `FROM ${quoteIdentifier(schema)}.${quoteIdentifier(name)} WHERE ${where.join(' AND ')}`,
      values,
    };
  };

  return {
    location: `postgres://${target.user}@${target.host}:${target.port}/${target.database}`,
    tables: async () => [...(await tables()).keys()],
    columns,
    keyColumn,
    sequenceKey,
    serverMicros: async () => {
      const result = await readOnly<{ micros: string }>(
        client,
        'SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint::text AS micros',
        [],
      );
      return Number(result.rows[0]?.micros);
    },
    newestTime: async (table, timeColumn, before) => {
      const [schema, name] = await qualified(table);
      const names = (await columns(table)).map((c) => c.name);
      const time = quoteIdentifier(listed(timeColumn, names, 'column'));
      const result = await readOnly<{ newest: unknown }>(
        client,
        `SELECT max(${time}) AS newest FROM ${quoteIdentifier(schema)}.${quoteIdentifier(name)} WHERE ${time} < $1`,
        [before],
      );
      return result.rows[0]?.newest ?? undefined;
    },
    newestTimes: async (table, timeColumn, key, limit) => {
      const [schema, name] = await qualified(table);
      const names = (await columns(table)).map((c) => c.name);
      const time = quoteIdentifier(listed(timeColumn, names, 'column'));
      const ordered = quoteIdentifier(listed(key, names, 'column'));
      const result = await readOnly<{ time: unknown }>(
        client,
        `SELECT ${time} AS time FROM ${quoteIdentifier(schema)}.${quoteIdentifier(name)} WHERE ${time} IS NOT NULL ORDER BY ${ordered} DESC LIMIT $1`,
        [limit],
      );
      return result.rows.map((row) => row.time);
    },
    rows: async (table, options) => {
      const [schema, name] = await qualified(table);
      const listedColumns = await columns(table);
      const names = listedColumns.map((c) => c.name);
      const time = quoteIdentifier(listed(options.timeColumn, names, 'column'));
      const key =
        options.key === undefined ? undefined : quoteIdentifier(listed(options.key, names, 'column'));
      const values: unknown[] = [];
      const bind = (value: unknown): string => `$${values.push(value)}`;
      const where = timeWindow(time, options, bind);
      if (options.search)
        where.push(
          ...compileServerSearch(options.search, options.timeColumn, {
            dialect: 'postgres',
            columns: listedColumns,
            quote: quoteIdentifier,
            bind,
          }),
        );
      if (options.keyAtMost !== undefined && key !== undefined)
        where.push(`${key} <= CAST(${bind(options.keyAtMost)} AS bigint)`);
      const position = options.position;
      const from = `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
      if (options.keys && key !== undefined) {
        const sql = keyedRows(key, options.keys, {
          columns: selected(options.columns, names).map(quoteIdentifier).join(', '),
          from,
          where,
          position,
          limit: options.limit,
          bind,
        });
        return (await readOnly<SourceRow>(client, sql, values)).rows;
      }
      const desc = options.order === 'desc';
      if (position !== undefined && 'time' in position && key !== undefined) {
        where.push(`(${time}, ${key}) ${desc ? '<' : '>'} (${bind(position.time)}, ${bind(position.key)})`);
      }
      const direction = desc ? ' DESC' : '';
      // Without a key, rows of the same time are ordered by all their columns (as text: json has
      // no order): the server's order of ties may differ from one LIMIT/OFFSET to the next (a
      // top-N sort is not stable), and a page could then skip a row another page did not read.
      const ties = key
        ? [key]
        : names.filter((n) => n !== options.timeColumn).map((n) => `${quoteIdentifier(n)}::text`);
      // Numbered over all that matches, not the page: a copy keeps its number whichever page reads it.
      const copies = copyColumn(options.numberCopies && !key, [time, ...ties], quoteIdentifier);
      const sql =
        `SELECT ${[...selected(options.columns, names).map(quoteIdentifier), ...copies].join(', ')} FROM ${from}` +
        ` WHERE ${where.join(' AND ')}` +
        ` ORDER BY ${[time, ...ties].map((t) => `${t}${direction}`).join(', ')} LIMIT ${bind(options.limit)} OFFSET ${bind(offsetOf(position))}`;
      // json and jsonb arrive as values already; text stays text, as the database holds it.
      return (await readOnly<SourceRow>(client, sql, values)).rows;
    },
    count: async (table, options) => {
      const { sql, values } = await countQuery(table, options);
      return Number(
        (await readOnly<{ n: string }>(client, `SELECT count(*) AS n ${sql}`, values)).rows[0]?.n ?? 0,
      );
    },
    countWithin: async (table, options) => {
      const { sql, values } = await countQuery(table, options);
      await client.query('BEGIN TRANSACTION READ ONLY');
      try {
        await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.trunc(options.timeoutMs))}`);
        const counted = await client.query<{ n: string }>(`SELECT count(*) AS n ${sql}`, values);
        await client.query('COMMIT');
        return { count: Number(counted.rows[0]?.n ?? 0), exact: true };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (!/statement timeout/.test((error as Error).message)) throw error;
      }
      // The planner's estimate of the rows the same search selects.
      const plan = await readOnly<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
        client,
        `EXPLAIN (FORMAT JSON) SELECT 1 ${sql}`,
        values,
      );
      return { count: Math.round(plan.rows[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? 0), exact: false };
    },
    groups: async (table, options) => {
      const [schema, name] = await qualified(table);
      const values: unknown[] = [];
      const sql = compileGroups(
        `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`,
        options.timeColumn,
        options.search,
        options.by,
        {
          dialect: 'postgres',
          columns: await columns(table),
          quote: quoteIdentifier,
          bind: (value) => `$${values.push(value)}`,
        },
      );
      return groupsOf((await readOnly<Record<string, unknown>>(client, sql, values)).rows);
    },
    listen: async (channel, onNotify) => {
      const listener = await connectPostgres(target);
      listener.on('notification', (message) => {
        if (message.channel === channel) onNotify();
      });
      try {
        // A channel is an identifier: quoted, never a value.
        await listener.query(`LISTEN ${quoteIdentifier(channel)}`);
      } catch (error) {
        await listener.end().catch(() => undefined);
        throw error;
      }
      return () => listener.end().catch(() => undefined);
    },
    cancel: async () => {
      // The same role may cancel its own sessions' statements; no other privilege is needed.
      const other = await connectPostgres(target);
      try {
        // `processID`: the server's id for this session, sent at start-up (pg keeps it, untyped).
        const pid = (client as unknown as { processID: number | null }).processID;
        if (pid !== null) await readOnly(other, 'SELECT pg_cancel_backend($1)', [pid]);
      } finally {
        await other.end();
      }
    },
    close: () => client.end(),
  };
}
