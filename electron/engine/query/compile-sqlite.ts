import {
  MAX_FILTER_DEPTH,
  MAX_FILTER_NODES,
  MAX_SELECTED_EVENTS,
  measureFilter,
} from '../../../shared/domain/query.ts';
import type { EventQuery, FieldFilter, Filter } from '../../../shared/domain/query.ts';
import { parseRawPath, parseTimeValue, resolveField } from '../../../shared/query/fields.ts';
import type { FieldDef } from '../../../shared/query/fields.ts';
import { COLUMN_INDEXES } from '../store/schema.ts';
import { ACTIVITY_KINDS, EXPORT_VERBS } from '../../../shared/lib/activity-kind.ts';

/** A tree the compiler cannot turn into SQL (bad field path, non-numeric comparison, …). */
export class QueryCompileError extends Error {
  override name = 'QueryCompileError';
}

export type SqlParam = string | number;
export interface CompiledWhere {
  /** Boolean SQL expression over table `events` (no `WHERE` keyword); `1` when nothing filters. */
  where: string;
  params: SqlParam[];
}
export interface CompileOptions {
  /** The FTS5 index is complete: free text uses it; otherwise it scans `raw`/`document` with LIKE. */
  ftsReady: boolean;
  /**
   * The index is not complete, but a connection's temp.pending_fts holds every event it lacks
   * (see PendingTextIndex): free text uses both.
   */
  pendingText?: boolean;
}

interface Sql {
  text: string;
  params: SqlParam[];
}

const ESCAPE = `ESCAPE '\\'`;
/** The parsed record as JSON; NULL (never an error) when neither column holds valid JSON. */
const JSON_DOC = `(CASE WHEN json_valid(coalesce(document, raw)) THEN coalesce(document, raw) END)`;
/** A JSON scalar as text, with booleans spelled like in the source. */
const JSON_ITEM_TEXT = `(CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(j.value AS TEXT) END)`;

/** Makes every LIKE metacharacter in `text` literal. */
export function escapeLike(text: string): string {
  return text.replace(/[%_\\]/g, (c) => `\\${c}`);
}

/** Glob pattern (`*`, `?`, `\`-escapes) to a LIKE pattern for `ESCAPE '\'`. */
export function globToLike(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      i += 1;
      out += escapeLike(pattern[i] as string);
    } else if (c === '*') out += '%';
    else if (c === '?') out += '_';
    else out += escapeLike(c);
  }
  return out;
}

/**
 * Free text as an FTS5 query in which every user token is a quoted string, so nothing the user
 * types (NEAR, AND, `:`, `^`, parentheses, quotes) acts as an FTS5 operator. A trailing `*` on a
 * bare word is kept as a prefix search.
 */
export function toFtsQuery(text: string, phrase: boolean): string {
  // FTS5 rejects NUL inside a string; the tokenizer treats it as a separator anyway.
  const clean = text.replace(/\0/g, ' ');
  const quoteFts = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  if (phrase) return quoteFts(clean);
  const parts: string[] = [];
  for (const word of clean.split(/\s+/)) {
    const core = word.replace(/\*+$/, '');
    if (core !== '') parts.push(quoteFts(core) + (core.length < word.length ? '*' : ''));
  }
  return parts.length === 0 ? '""' : parts.join(' ');
}

function toNumber(value: string | undefined, field: string): number {
  const n = value === undefined || value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n)) throw new QueryCompileError(`\`${value ?? ''}\` is not a number (field ${field})`);
  return n;
}

function toTime(value: string | undefined): number {
  const micros = value === undefined ? undefined : parseTimeValue(value);
  if (micros === undefined) throw new QueryCompileError(`\`${value ?? ''}\` is not a time`);
  return micros;
}

function requireValue(filter: FieldFilter): string {
  if (filter.value === undefined)
    throw new QueryCompileError(`\`${filter.field}\` ${filter.op} needs a value`);
  return filter.value;
}

const COMPARE_SQL = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** One predicate on one text-valued SQL expression. */
function textPredicate(expr: string, filter: FieldFilter): Sql {
  switch (filter.op) {
    case 'eq':
      return { text: `${expr} = ? COLLATE NOCASE`, params: [requireValue(filter)] };
    case 'glob':
      return { text: `${expr} LIKE ? ${ESCAPE}`, params: [globToLike(requireValue(filter))] };
    case 'cidr':
      return { text: `ip_in_cidr(${expr}, ?) = 1`, params: [requireValue(filter)] };
    case 'exists':
      return { text: `(${expr} IS NOT NULL AND ${expr} <> '')`, params: [] };
    default:
      // CAST alone would turn 'high' into 0; only number-looking text takes part.
      return {
        text: `(${expr} GLOB '[0-9+.-]*' AND CAST(${expr} AS REAL) ${COMPARE_SQL[filter.op]} ?)`,
        params: [toNumber(filter.value, filter.field)],
      };
  }
}

function timePredicate(filter: FieldFilter): Sql {
  switch (filter.op) {
    case 'exists':
      return { text: 'time IS NOT NULL', params: [] };
    case 'eq':
      return { text: 'time = ?', params: [toTime(filter.value)] };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { text: `time ${COMPARE_SQL[filter.op]} ?`, params: [toTime(filter.value)] };
    default:
      throw new QueryCompileError(`\`${filter.op}\` does not apply to time`);
  }
}

/** Longest prefix of a value used as a LIKE pattern (escaping can double it; SQLite's limit is 50,000). */
const MAX_LIKE_PREFIX = 1000;

function catalogPredicate(def: FieldDef, filter: FieldFilter): Sql {
  if (def.kind === 'time') return timePredicate(filter);
  const parts = def.columns.map((column) => textPredicate(column, filter));
  if (parts.length === 1) return parts[0] as Sql;
  const anyColumn = {
    text: `(${parts.map((p) => p.text).join(' OR ')})`,
    params: parts.flatMap((p) => p.params),
  };
  if (filter.op !== 'eq' || !def.columns.every((c) => Object.hasOwn(COLUMN_INDEXES, c))) return anyColumn;
  // With bound values SQLite plans `a = ? COLLATE NOCASE OR b = ? …` as a full scan even when
  // every column has an index (0.3 s on 1M events), while `a LIKE ? OR b LIKE ? …` becomes one
  // index search per column (< 2 ms). So the index is reached through a LIKE on the value, which
  // is the equality itself (same ASCII case folding as NOCASE). SQLite refuses LIKE patterns past
  // 50,000 bytes: a longer value is looked up by its first 1,000 characters and then compared in
  // full; for any other the comparison is skipped (`length(?) <= …` is true), so no row is read
  // beyond the index. The SQL is the same whatever the value.
  const value = requireValue(filter);
  const characters = Array.from(value);
  const prefix =
    escapeLike(characters.slice(0, MAX_LIKE_PREFIX).join('')) +
    (characters.length > MAX_LIKE_PREFIX ? '%' : '');
  return {
    text:
      `((${def.columns.map((c) => `${c} LIKE ? ${ESCAPE}`).join(' OR ')}) AND ` +
      `(length(?) <= ${MAX_LIKE_PREFIX} OR ${anyColumn.text.slice(1, -1)}))`,
    params: [...def.columns.map(() => prefix), value, ...anyColumn.params],
  };
}

/** What `is:` asks of an event's marks (annotations.ts). */
const IS_MARKED: Readonly<Record<string, string>> = {
  starred: 'events.rowid IN (SELECT event_rowid FROM marks WHERE starred = 1)',
  noted: 'events.rowid IN (SELECT event_rowid FROM marks WHERE note IS NOT NULL)',
  tagged: 'events.rowid IN (SELECT event_rowid FROM event_tags)',
};

/**
 * The analyst's marks: `is:starred`, `is:tagged`, `is:noted`, and `tag:<name>` (globs too). These
 * names mean marks, not fields of the original records.
 */
function annotationPredicate(filter: FieldFilter): Sql | undefined {
  const field = filter.field.toLowerCase();
  if (field === 'is') {
    const sql = filter.op === 'eq' ? IS_MARKED[(filter.value ?? '').toLowerCase()] : undefined;
    if (sql === undefined) throw new QueryCompileError('`is:` takes starred, tagged or noted');
    return { text: sql, params: [] };
  }
  if (field !== 'tag') return undefined;
  if (filter.op === 'exists') return { text: IS_MARKED.tagged as string, params: [] };
  const name = textPredicate('t.name', filter);
  return {
    text: `events.rowid IN (SELECT et.event_rowid FROM event_tags et JOIN tags t ON t.id = et.tag_id WHERE ${name.text})`,
    params: name.params,
  };
}

/**
 * `kind:<activity kind>` (login, login-failed, logout, view, create, modify, delete, export,
 * other): what the event was, as the per-user views and reports count it (activity-kind.ts).
 * Other values of `kind:` search the original record's `kind` field.
 */
function activityPredicate(filter: FieldFilter): Sql | undefined {
  if (filter.field.toLowerCase() !== 'kind') return undefined;
  const kind = (filter.value ?? '').toLowerCase();
  // Any other value is the record's own `kind` field (Kubernetes audit has one: `kind:Event`).
  if (filter.op !== 'eq' || !(ACTIVITY_KINDS as readonly string[]).includes(kind)) return undefined;
  // Sign-ins and sign-outs are authentication events by definition (activity-kind.ts): testing
  // the category first spares the function call for the ~90% of events that are not.
  if (SIGN_IN_KINDS.has(kind))
    return {
      text: "(category = 'authentication' AND activity_kind(action, category, outcome) = ?)",
      params: [kind],
    };
  // An export's action holds one of a few verbs: a LIKE (case-insensitive for ASCII) finds the
  // candidates far faster than the function alone.
  if (kind === 'export')
    return {
      text: `((${EXPORT_VERBS.map(() => 'action LIKE ?').join(' OR ')}) AND activity_kind(action, category, outcome) = ?)`,
      params: [...EXPORT_VERBS.map((stem) => `%${stem}%`), kind],
    };
  return { text: 'activity_kind(action, category, outcome) = ?', params: [kind] };
}
const SIGN_IN_KINDS: ReadonlySet<string> = new Set(['login', 'login-failed', 'logout']);

/** JSONPath with every segment quoted: `$."userIdentity"."arn"`. */
export function toJsonPath(field: string): string {
  const path = parseRawPath(field);
  if (!path.ok) throw new QueryCompileError(path.message);
  return `$${path.segments.map((segment) => `."${segment}"`).join('')}`;
}

/**
 * A raw vendor path: matches when the value at the path (or any scalar element of an array at
 * the path) satisfies the predicate. json_each yields a scalar with a NULL key, array elements
 * with integer keys and object members with text keys; members are excluded.
 */
function rawPathPredicate(filter: FieldFilter): Sql {
  const path = toJsonPath(filter.field);
  if (filter.op === 'exists') {
    return {
      text: `(coalesce(json_type(${JSON_DOC}, ?), 'null') <> 'null' AND CAST(json_extract(${JSON_DOC}, ?) AS TEXT) <> '')`,
      params: [path, path],
    };
  }
  const inner = textPredicate(JSON_ITEM_TEXT, filter);
  return {
    text:
      `EXISTS (SELECT 1 FROM json_each(${JSON_DOC}, ?) AS j` +
      ` WHERE typeof(j.key) <> 'text' AND j.type NOT IN ('object', 'array') AND ${inner.text})`,
    params: [path, ...inner.params],
  };
}

function textSearch(text: string, phrase: boolean, opts: CompileOptions): Sql {
  if (opts.ftsReady) {
    return {
      text: 'rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)',
      params: [toFtsQuery(text, phrase)],
    };
  }
  if (opts.pendingText) {
    const match = toFtsQuery(text, phrase);
    return {
      text:
        '(rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)' +
        ' OR rowid IN (SELECT rowid FROM temp.pending_fts WHERE pending_fts MATCH ?))',
      params: [match, match],
    };
  }
  // Substring search; a trailing `*` (prefix in FTS) adds nothing to a substring match. An empty
  // needle matches nothing, as the FTS query `""` does.
  const needle = phrase ? text : text.replace(/\*+$/, '');
  const pattern = `%${escapeLike(needle)}%`;
  return {
    text: `(? <> '' AND (raw LIKE ? ${ESCAPE} OR coalesce(document, '') LIKE ? ${ESCAPE}))`,
    params: [needle, pattern, pattern],
  };
}

function timeRange(from: number | undefined, to: number | undefined): Sql | undefined {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  if (from !== undefined) {
    parts.push('time >= ?');
    params.push(from);
  }
  if (to !== undefined) {
    parts.push('time < ?');
    params.push(to);
  }
  return parts.length === 0 ? undefined : { text: parts.join(' AND '), params };
}

/** SQLite parses `a OR b OR c …` into a chain as deep as it is long, and refuses depth 1000. */
const MAX_FLAT_TERMS = 64;

function join(kind: 'AND' | 'OR', parts: Sql[], empty: string): Sql {
  if (parts.length === 0) return { text: empty, params: [] };
  if (parts.length === 1) return parts[0] as Sql;
  // Long lists (a time range per night) are nested in groups, keeping the tree shallow.
  if (parts.length > MAX_FLAT_TERMS) {
    const groups: Sql[] = [];
    for (let i = 0; i < parts.length; i += MAX_FLAT_TERMS)
      groups.push(join(kind, parts.slice(i, i + MAX_FLAT_TERMS), empty));
    return join(kind, groups, empty);
  }
  return { text: `(${parts.map((p) => p.text).join(` ${kind} `)})`, params: parts.flatMap((p) => p.params) };
}

function compileNode(filter: Filter, opts: CompileOptions): Sql {
  switch (filter.kind) {
    case 'and':
      return join(
        'AND',
        filter.children.map((child) => compileNode(child, opts)),
        '1',
      );
    case 'or':
      return join(
        'OR',
        filter.children.map((child) => compileNode(child, opts)),
        '0',
      );
    case 'not': {
      // NULL (a missing column) counts as false, so `-actor:x` keeps events without an actor.
      const inner = compileNode(filter.child, opts);
      return { text: `NOT coalesce((${inner.text}), 0)`, params: inner.params };
    }
    case 'field': {
      const marks = annotationPredicate(filter) ?? activityPredicate(filter);
      if (marks) return marks;
      const def = resolveField(filter.field);
      return def === undefined ? rawPathPredicate(filter) : catalogPredicate(def, filter);
    }
    case 'text':
      return textSearch(filter.text, filter.phrase, opts);
    case 'time':
      return timeRange(filter.from, filter.to) ?? { text: '1', params: [] };
  }
}

/**
 * Compiles a query to a WHERE expression over `events` (plus `events_fts` for free text).
 * Values only ever travel as bound parameters; identifiers come from the field catalogue.
 * Needs `ip_in_cidr` registered (see `registerSqlFunctions`). Throws `QueryCompileError`.
 */
export function compileSqlite(query: EventQuery, opts: CompileOptions): CompiledWhere {
  const parts: Sql[] = [];
  if (query.filter !== undefined) {
    const size = measureFilter(query.filter);
    if (size.depth > MAX_FILTER_DEPTH || size.nodes > MAX_FILTER_NODES) {
      throw new QueryCompileError('filter is nested too deeply or too large');
    }
    parts.push(compileNode(query.filter, opts));
  }
  const window = timeRange(query.from, query.to);
  if (window !== undefined) parts.push(window);
  if (query.seqs !== undefined) {
    if (query.seqs.length > MAX_SELECTED_EVENTS) throw new QueryCompileError('too many events named');
    parts.push({ text: `rowid IN (${query.seqs.map(() => '?').join(', ')})`, params: [...query.seqs] });
  }
  const all = parts.filter((p) => p.text !== '1');
  if (all.length === 0) return { where: '1', params: [] };
  return {
    where: all.map((p) => (all.length > 1 ? `(${p.text})` : p.text)).join(' AND '),
    params: all.flatMap((p) => p.params),
  };
}
