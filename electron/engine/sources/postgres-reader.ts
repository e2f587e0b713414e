import pg from 'pg';
import type { SourceColumn } from '../../../shared/domain/source.ts';
import { listed, parseJsonText, quoteIdentifier, type SourceRow, type TableReader } from './table-reader.ts';

export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string | undefined;
  /** `verify`: TLS, certificate and host name checked against the system's CAs; `disable`: no TLS. */
  tls: 'verify' | 'disable';
  /** Longest a statement may run before the server cancels it. */
  statementTimeoutMs?: number;
}

/** Timestamps and dates stay the text the server wrote (no local-time Date conversion). */
const TEXT_TYPES = new Set([1082, 1114, 1184]);

/**
 * A connection that can only read: the session is READ ONLY (the server refuses any write, even
 * through a function), statements time out, times are printed in UTC.
 */
export async function connectPostgres(target: PostgresTarget): Promise<pg.Client> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password ?? '',
    ssl: target.tls === 'verify' ? { rejectUnauthorized: true, servername: target.host } : false,
    connectionTimeoutMillis: 10_000,
    statement_timeout: target.statementTimeoutMs ?? 60_000,
    application_name: 'auditscope (read-only)',
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        TEXT_TYPES.has(oid)
          ? (value: string) => value
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  await client.connect();
  try {
    await client.query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY; SET TIME ZONE 'UTC'");
  } catch (error) {
    await client.end();
    throw error;
  }
  return client;
}

export async function openPostgresReader(target: PostgresTarget): Promise<TableReader> {
  const client = await connectPostgres(target);
  let listedTables: Map<string, [string, string]> | undefined;
  const tables = async (): Promise<Map<string, [string, string]>> => {
    if (listedTables) return listedTables;
    const result = await client.query<{ table_schema: string; table_name: string }>(
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
  const columns = async (table: string): Promise<SourceColumn[]> => {
    const [schema, name] = await qualified(table);
    const result = await client.query<{ column_name: string; data_type: string }>(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
      [schema, name],
    );
    return result.rows.map((r) => ({ name: r.column_name, type: r.data_type }));
  };
  return {
    location: `postgres://${target.user}@${target.host}:${target.port}/${target.database}`,
    tables: async () => [...(await tables()).keys()],
    columns,
    keyColumn: async (table) => {
      const [schema, name] = await qualified(table);
      const result = await client.query<{ column_name: string }>(
        `SELECT kcu.column_name FROM information_schema.table_constraints tc
           JOIN information_schema.key_column_usage kcu
             ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name
          WHERE tc.table_schema = $1 AND tc.table_name = $2 AND tc.constraint_type = 'PRIMARY KEY'`,
        [schema, name],
      );
      return result.rows.length === 1 ? result.rows[0]?.column_name : undefined;
    },
    rows: async (table, options) => {
      const [schema, name] = await qualified(table);
      const names = (await columns(table)).map((c) => c.name);
      const time = quoteIdentifier(listed(options.timeColumn, names, 'column'));
      const key =
        options.key === undefined ? undefined : quoteIdentifier(listed(options.key, names, 'column'));
      const where: string[] = [];
      const values: unknown[] = [];
      const bind = (value: unknown): string => `$${values.push(value)}`;
      if (options.from !== undefined) where.push(`${time} >= ${bind(options.from)}`);
      if (options.to !== undefined) where.push(`${time} < ${bind(options.to)}`);
      const position = options.position;
      if (position !== undefined && 'time' in position && key !== undefined) {
        where.push(`(${time}, ${key}) > (${bind(position.time)}, ${bind(position.key)})`);
      }
      const sql =
        `SELECT ${names.map(quoteIdentifier).join(', ')} FROM ${quoteIdentifier(schema)}.${quoteIdentifier(name)}` +
        (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
        ` ORDER BY ${time}${key ? `, ${key}` : ''} LIMIT ${bind(options.limit)} OFFSET ${bind(
          position !== undefined && 'offset' in position ? position.offset : 0,
        )}`;
      const result = await client.query<SourceRow>(sql, values);
      return result.rows.map((row) =>
        Object.fromEntries(Object.entries(row).map(([column, value]) => [column, parseJsonText(value)])),
      );
    },
    close: () => client.end(),
  };
}
