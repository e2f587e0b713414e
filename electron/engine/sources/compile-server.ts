import type { Filter, FieldFilter } from '../../../shared/domain/query.ts';
import type { SourceColumn, SourceMapping } from '../../../shared/domain/source.ts';
import { parseRawPath, resolveField } from '../../../shared/query/fields.ts';
import { parseTimestamp } from '../../../shared/lib/parse-time.ts';
import type { GroupBy } from './table-reader.ts';

/**
 * Compiles a search to the WHERE clause of a remote table's query, for PostgreSQL or MySQL /
 * MariaDB, so the server filters and the client reads only what matches. Values only ever become
 * bound parameters (`bind` returns the placeholder); identifiers only ever come from the
 * table's introspected columns (the allowlist), quoted by the caller's `quote`; LIKE patterns
 * escape with `!` explicitly in both dialects. So the SQL text depends on the search's shape and
 * field names, never on its values (tested by property).
 *
 * What cannot be decided by the server the way a case decides it is refused with the reason
 * (never silently dropped): `outcome`, `category` and the other fields a case derives while
 * importing, CIDR ranges (MySQL, or PostgreSQL text columns), comparisons on non-numeric columns.
 */
export type Dialect = 'postgres' | 'mysql';

export class PushDownError extends Error {}

export interface ServerQueryContext {
  dialect: Dialect;
  columns: readonly SourceColumn[];
  mapping: SourceMapping;
  quote: (identifier: string) => string;
  bind: (value: string | number | string[]) => string;
}

/** Normalized fields a mapping can answer, by the mapping key they read. */
const MAPPED: Record<string, keyof SourceMapping> = {
  time: 'time',
  actor: 'actor',
  'actor.id': 'actor',
  'actor.name': 'actor',
  'actor.email': 'actor',
  action: 'action',
  target: 'target',
  'target.id': 'target',
  'target.name': 'target',
  ip: 'ip',
  userAgent: 'userAgent',
  sessionId: 'sessionId',
  requestId: 'requestId',
  message: 'message',
};

const JSON_TYPES: Record<Dialect, RegExp> = {
  postgres: /^jsonb?$/i,
  // MariaDB's JSON is LONGTEXT with a check; MySQL's is JSON.
  mysql: /^(json|longtext|mediumtext|text)$/i,
};
const NUMERIC =
  /^(smallint|integer|int|bigint|tinyint|mediumint|numeric|decimal|real|double( precision)?|float)$/i;
const TIME_TYPES = /^(timestamp|datetime|date)/i;

interface Operand {
  /** SQL for the value as text (for equality and patterns). */
  text: string;
  /** SQL for the value as is (for comparisons and NULL tests). */
  value: string;
  column: SourceColumn;
  /** Read from inside a JSON column. */
  json: boolean;
}

/** A search over a remote table: its filter and time window (epoch µs), read through `mapping`. */
export interface ServerSearch {
  filter?: Filter | undefined;
  from?: number | undefined;
  to?: number | undefined;
  mapping: SourceMapping;
}

/** The WHERE clauses (ANDed) a search adds to a table's query. */
export function compileServerSearch(
  search: ServerSearch,
  timeColumn: string,
  context: Omit<ServerQueryContext, 'mapping'>,
): string[] {
  const full = { ...context, mapping: search.mapping };
  return [
    ...compileTimeRange(search, timeColumn, full),
    ...(search.filter ? [compile(search.filter, full)] : []),
  ];
}

/**
 * The WHERE clauses of the rows a search selects: those with a time (what keyset paging can
 * order, so what `rows` pages through) that match the search.
 */
export function compileRowsWhere(
  search: ServerSearch,
  timeColumn: string,
  context: Omit<ServerQueryContext, 'mapping'>,
): string[] {
  const time = context.quote(column(timeColumn, { ...context, mapping: search.mapping }).name);
  return [`${time} IS NOT NULL`, ...compileServerSearch(search, timeColumn, context)];
}

/** A field's value as text in the server's SQL (for top values): mapped field, column or JSON member. */
export function compileFieldText(
  field: string,
  mapping: SourceMapping,
  context: Omit<ServerQueryContext, 'mapping'>,
): string {
  return resolveOperand(field, { ...context, mapping }).text;
}

/**
 * The start of the time bucket (epoch seconds) a row falls in, buckets `seconds` long: both
 * servers read their time columns in UTC here (see connectMysql's session time zone).
 */
export function compileTimeBucket(
  timeColumn: string,
  seconds: number,
  context: Omit<ServerQueryContext, 'mapping'>,
): string {
  const time = context.quote(column(timeColumn, { ...context, mapping: {} }).name);
  if (context.dialect === 'postgres') {
    const size = context.bind(seconds); // numbered: used twice, bound once
    return `(floor(extract(epoch FROM ${time}) / CAST(${size} AS bigint)) * CAST(${size} AS bigint))`;
  }
  return `(FLOOR(UNIX_TIMESTAMP(${time}) / ${context.bind(seconds)}) * ${context.bind(seconds)})`;
}

/**
 * The SELECT behind TableReader.groups over `from` (the table's quoted name): columns `value`
 * and `n` (for a range: `first`, `last`, `n`). Parts are compiled in the order they appear in
 * the text, so that MySQL's positional `?` placeholders line up with their values.
 */
export function compileGroups(
  from: string,
  timeColumn: string,
  search: ServerSearch,
  by: GroupBy,
  context: Omit<ServerQueryContext, 'mapping'>,
): string {
  const time = context.quote(column(timeColumn, { ...context, mapping: search.mapping }).name);
  const where = (): string => compileRowsWhere(search, timeColumn, context).join(' AND ');
  if (by.kind === 'range')
    return `SELECT min(${time}) AS first, max(${time}) AS last, count(*) AS n FROM ${from} WHERE ${where()}`;
  const value =
    by.kind === 'bucket'
      ? compileTimeBucket(timeColumn, by.seconds, context)
      : compileFieldText(by.field, search.mapping, context);
  const sql = `SELECT ${value} AS value, count(*) AS n FROM ${from} WHERE ${where()} GROUP BY 1`;
  return by.kind === 'bucket'
    ? `${sql} ORDER BY 1`
    : `${sql} ORDER BY 2 DESC, 1 LIMIT ${context.bind(by.limit)}`;
}

/** The time range of a query, bound as instants in the form each server compares with its column. */
export function compileTimeRange(
  range: { from?: number | undefined; to?: number | undefined },
  timeColumn: string,
  context: ServerQueryContext,
): string[] {
  const time = context.quote(column(timeColumn, context).name);
  const parts: string[] = [];
  if (range.from !== undefined)
    parts.push(`${time} >= ${context.bind(instant(range.from, context.dialect))}`);
  if (range.to !== undefined) parts.push(`${time} < ${context.bind(instant(range.to, context.dialect))}`);
  return parts;
}

/**
 * Epoch µs as the text a server reads as that instant: ISO with its zone for PostgreSQL; for
 * MySQL, `YYYY-MM-DD HH:MM:SS.ffffff` in UTC (sessions run in UTC, see connectMysql).
 */
function instant(micros: number, dialect: Dialect): string {
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  const fraction = String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');
  const seconds = iso.slice(0, 19);
  return dialect === 'postgres' ? `${seconds}.${fraction}Z` : `${seconds.replace('T', ' ')}.${fraction}`;
}

function compile(filter: Filter, context: ServerQueryContext): string {
  switch (filter.kind) {
    case 'and':
    case 'or': {
      if (filter.children.length === 0) return filter.kind === 'and' ? '1 = 1' : '1 = 0';
      return `(${filter.children.map((c) => compile(c, context)).join(` ${filter.kind.toUpperCase()} `)})`;
    }
    case 'not':
      // NULL (a missing value) is "not matching", as in a case: `-actor:x` keeps rows without an actor.
      return `NOT COALESCE((${compile(filter.child, context)}), FALSE)`;
    case 'time':
      return `(${[...compileTimeRange(filter, timeColumnOf(context), context), '1 = 1'].join(' AND ')})`;
    case 'text':
      return freeText(filter.text, filter.phrase, context);
    case 'field':
      return fieldPredicate(filter, context);
  }
}

function timeColumnOf(context: ServerQueryContext): string {
  if (!context.mapping.time) throw new PushDownError('map the event time to a column first');
  return context.mapping.time;
}

/** Free text: a substring of any column's text, case-insensitive (a scan on the server). */
function freeText(text: string, phrase: boolean, context: ServerQueryContext): string {
  const needle = phrase ? text : text.replace(/\*+$/, '');
  const all = context.columns.map((c) => asText(context.quote(c.name), context.dialect, c.type)).join(', ');
  return `LOWER(CONCAT_WS(' ', ${all})) LIKE LOWER(${context.bind(`%${escapeLike(needle)}%`)}) ESCAPE '!'`;
}

function fieldPredicate(filter: FieldFilter, context: ServerQueryContext): string {
  const operand = resolveOperand(filter.field, context);
  const value = filter.value ?? '';
  switch (filter.op) {
    case 'exists':
      // The operand once: with MySQL's `?` placeholders, SQL written twice would need its values twice.
      return `COALESCE(${operand.text}, '') <> ''`;
    case 'eq':
      return `LOWER(${operand.text}) = LOWER(${context.bind(value)})`;
    case 'glob':
      return `LOWER(${operand.text}) LIKE LOWER(${context.bind(globToLike(value))}) ESCAPE '!'`;
    case 'cidr':
      if (context.dialect === 'postgres' && /^(inet|cidr)$/i.test(operand.column.type) && !operand.json)
        return `${operand.value} <<= CAST(${context.bind(value)} AS inet)`;
      throw new PushDownError(
        `${filter.field}: IP ranges are compared on the server only in PostgreSQL inet columns`,
      );
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return comparison(filter, operand, value, context);
  }
}

function comparison(
  filter: FieldFilter,
  operand: Operand,
  value: string,
  context: ServerQueryContext,
): string {
  const sign = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[filter.op as 'gt' | 'gte' | 'lt' | 'lte'];
  if (TIME_TYPES.test(operand.column.type) && !operand.json) {
    const parsed = parseTimestamp(value);
    if (!parsed)
      throw new PushDownError(`${filter.field}: ${JSON.stringify(value.slice(0, 80))} is not a time`);
    return `${operand.value} ${sign} ${context.bind(instant(parsed.time, context.dialect))}`;
  }
  if (NUMERIC.test(operand.column.type) && !operand.json) {
    if (!/^-?\d+(\.\d+)?$/.test(value.trim()))
      throw new PushDownError(`${filter.field}: ${JSON.stringify(value.slice(0, 80))} is not a number`);
    // Bound as text and made a number by the server, exactly (a JavaScript number would round).
    const number =
      context.dialect === 'postgres'
        ? `CAST(${context.bind(value.trim())} AS numeric)`
        : `CAST(${context.bind(value.trim())} AS DECIMAL(65, 30))`;
    return `${operand.value} ${sign} ${number}`;
  }
  throw new PushDownError(`${filter.field}: greater/less than needs a numeric or time column`);
}

/** A search field as SQL over the table: a mapped event field, a column, or a path into a JSON column. */
function resolveOperand(field: string, context: ServerQueryContext): Operand {
  const known = resolveField(field);
  const key = known ? MAPPED[known.name] : undefined;
  const mapped = key ? context.mapping[key] : undefined;
  if (mapped) return pathOperand(mapped, context);
  // Not an event field the mapping answers: a column of that very name, if the table has one.
  const named = context.columns.find((c) => c.name === field);
  if (named || !known) return pathOperand(field, context);
  throw new PushDownError(
    key
      ? `${known.name} is not mapped to a column of this table`
      : `${known.name} is worked out when events are imported; on a remote table search its column instead`,
  );
}

/** `column` or `column.path.into.json` (the column found first, as the mapping does). */
function pathOperand(path: string, context: ServerQueryContext): Operand {
  const exact = context.columns.find((c) => c.name === path);
  if (exact) return plain(exact, context);
  const parsed = parseRawPath(path);
  if (!parsed.ok) throw new PushDownError(parsed.message);
  const [head, ...rest] = parsed.segments as [string, ...string[]];
  const base = column(head, context);
  if (rest.length === 0) return plain(base, context);
  if (!JSON_TYPES[context.dialect].test(base.type))
    throw new PushDownError(`${path}: ${base.name} is not a JSON column (${base.type})`);
  const quoted = context.quote(base.name);
  if (context.dialect === 'postgres') {
    const text = `(${quoted} #>> ${context.bind(rest)})`;
    return { text, value: text, column: base, json: true };
  }
  const jsonPath = `$${rest.map((s) => `."${s}"`).join('')}`;
  // A JSON null is no value (as PostgreSQL's #>> has it), not the text "null".
  const member = (placeholder: string): string => `JSON_EXTRACT(${quoted}, ${placeholder})`;
  const isNull = `JSON_TYPE(${member(context.bind(jsonPath))}) = 'NULL'`;
  const text = `(CASE WHEN ${isNull} THEN NULL ELSE JSON_UNQUOTE(${member(context.bind(jsonPath))}) END)`;
  return { text, value: text, column: base, json: true };
}

function plain(found: SourceColumn, context: ServerQueryContext): Operand {
  const quoted = context.quote(found.name);
  return { text: asText(quoted, context.dialect, found.type), value: quoted, column: found, json: false };
}

/** A column of the table, matched exactly, else case-insensitively when that is unambiguous. */
function column(name: string, context: ServerQueryContext): SourceColumn {
  const exact = context.columns.find((c) => c.name === name);
  if (exact) return exact;
  const folded = context.columns.filter((c) => c.name.toLowerCase() === name.toLowerCase());
  if (folded.length === 1) return folded[0] as SourceColumn;
  throw new PushDownError(`no column ${JSON.stringify(name.slice(0, 200))} in this table`);
}

/** A value as the text a case would hold: inet addresses without a `/32` (PostgreSQL's abbrev). */
function asText(sql: string, dialect: Dialect, type = ''): string {
  if (dialect === 'mysql') return `CAST(${sql} AS CHAR)`;
  return /^(inet|cidr)$/i.test(type) ? `abbrev(${sql})` : `CAST(${sql} AS text)`;
}

/** `%`, `_` and the escape character itself made literal, with `!` as the escape in both dialects. */
function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

/** The search box's glob (`*`, `?`, `\` escapes) as a LIKE pattern escaped with `!`. */
export function globToLike(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\' && i + 1 < glob.length) out += escapeLike(glob[++i] as string);
    else if (c === '*') out += '%';
    else if (c === '?') out += '_';
    else out += escapeLike(c);
  }
  return out;
}
