import { lastEventRowid, type CaseDb } from '../store/case-db.ts';
import { COLUMN_INDEXES } from '../store/schema.ts';
import { fromStoredRow, SELECT_EVENT_COLUMNS } from '../store/event-row.ts';
import { histogram, type Histogram, type StackBy } from './histogram.ts';
import { compileSqlite, toFtsQuery, toJsonPath, type CompileOptions } from './compile-sqlite.ts';
import { PendingTextIndex } from './pending-text-index.ts';
import { KnownKeys, ResultSet, type ResultPlan } from './result-set.ts';
import { deletionsMark } from '../store/delete-events.ts';
import { freeTextIndexComplete, freeTextIndexedThrough } from '../store/fts-indexer.ts';
import { activitySummaries, journey } from './activity.ts';
import type { ActivitySummary, JourneyField, JourneyLane } from '../../../shared/domain/activity.ts';
import { resolveField, parseRawPath } from '../../../shared/query/fields.ts';
import { narrowQuery, type EventQuery, type Filter } from '../../../shared/domain/query.ts';
import type { AuditEvent } from '../../../shared/domain/audit-event.ts';
import type { ImportRecord, RejectRow } from '../../../shared/domain/import.ts';
import type { CaseCounts, CaseStats, FieldValueCount } from '../../../shared/domain/case.ts';

export type StoredEvent = AuditEvent & { seq: number };

/** [bucket index, events, failures]: a timeline cell; empty buckets are left out. */
type Cell = [number, number, number];

export interface Lanes {
  interval: number;
  /** Start of bucket 0, epoch µs. */
  from: number;
  buckets: number;
  /** Events matching the query, all lanes and beyond. */
  total: number;
  lanes: { value: string; total: number; cells: Cell[] }[];
}

/** Matches above which a free-text first page walks the time index instead of sorting matches. */
const TIME_SCAN_ABOVE = 2000;
/**
 * The same for field filters: walking the time index reads ~200 / density rows, sorting costs
 * ~9 µs per match; on 1M events they cross near 5,000 matches.
 */
const FIELD_TIME_SCAN_ABOVE = 5000;
/** …and at least this share of the case, so that clustered matches are sorted, not walked to. */
const FIELD_TIME_SCAN_SHARE = 0.01;

function containsText(filter: Filter): boolean {
  const stack: Filter[] = [filter];
  while (stack.length > 0) {
    const node = stack.pop() as Filter;
    if (node.kind === 'text') return true;
    if (node.kind === 'and' || node.kind === 'or') stack.push(...node.children);
    if (node.kind === 'not') stack.push(node.child);
  }
  return false;
}

/**
 * Every read a case answers. Runs on the reader thread over a read-only connection, so queries
 * never wait for an import and an import never waits for a query.
 */
export class CaseQueries {
  private readonly db: CaseDb;
  private readonly pendingText: PendingTextIndex;
  private readonly results = new Map<string, ResultSet>();
  /** Position checkpoints per query snapshot, shared by results of the same query. */
  private readonly checkpoints = new Map<string, KnownKeys>();
  private deletionsSeen: unknown;
  /**
   * Handles start at a random number: after the workspace switches cases, a page's late
   * `query.close` of an old handle must not name (and close) a result of the new case.
   */
  private nextHandle = 1 + Math.floor(Math.random() * 1e11);

  constructor(db: CaseDb) {
    this.db = db;
    this.pendingText = new PendingTextIndex(db);
  }

  /** True when the free-text index covers every event (else free text falls back to a scan). */
  ftsReady(): boolean {
    return freeTextIndexComplete(this.db);
  }

  /**
   * How free text is searched now: the case's index when complete; else with the events it lacks
   * indexed on this connection (when a search needs them and they are few enough); else a scan.
   */
  private textOptions(query: EventQuery, lastRowid?: number): CompileOptions {
    // Without free text, how it would be searched changes nothing: no lookups on every page's query.
    if (query.filter === undefined || !containsText(query.filter)) return { ftsReady: false };
    const mark = freeTextIndexedThrough(this.db);
    const top = lastRowid ?? lastEventRowid(this.db);
    if (mark >= top) return { ftsReady: true };
    return { ftsReady: false, pendingText: this.pendingText.cover(mark, top) };
  }

  private compile(query: EventQuery): { where: string; params: (string | number)[] } {
    return compileSqlite(query, this.textOptions(query));
  }

  /**
   * A result is a snapshot: it covers the events present when it opened (rowids only grow), so
   * its count, pages and remembered positions stay consistent while an import or a tail adds more.
   */
  openResult(query: EventQuery): string {
    const handle = `r${this.nextHandle++}`;
    this.results.set(handle, this.resultSet(query));
    return handle;
  }

  /** How many events match now: a result's count, without keeping a handle for it. */
  total(query: EventQuery): number {
    return this.resultSet(query).count();
  }

  private resultSet(query: EventQuery): ResultSet {
    const lastRowid = lastEventRowid(this.db);
    const textOptions = this.textOptions(query, lastRowid);
    const compiled = compileSqlite(query, textOptions);
    // `+rowid`: the bound must not tempt the planner to walk the primary key and sort by time.
    const snapshot = {
      where: `(${compiled.where}) AND +rowid <= ?`,
      params: [...compiled.params, lastRowid],
    };
    return new ResultSet(
      this.db,
      { ...snapshot, order: query.order ?? 'desc' },
      this.plan(query, textOptions, lastRowid),
    );
  }

  private plan(query: EventQuery, text: CompileOptions, lastRowid: number): ResultPlan {
    // Keys are per (query, snapshot); a bounded cache rather than invalidation. A snapshot is
    // named by its last rowid, which a deletion leaves as it was: checkpoints learned before a
    // deletion are dropped.
    const deletions = deletionsMark(this.db);
    if (this.checkpoints.size > 32 || deletions !== this.deletionsSeen) this.checkpoints.clear();
    this.deletionsSeen = deletions;
    const plan: ResultPlan = { checkpointCache: this.checkpoints };
    const filter = query.filter;
    if (!filter && query.seqs === undefined && query.from === undefined && query.to === undefined) {
      // Everything in the snapshot: SQLite counts a whole table without visiting rows; take away
      // what arrived since (a short range at the end of the primary key).
      plan.count = {
        sql: 'SELECT (SELECT count(*) FROM events) - (SELECT count(*) FROM events WHERE rowid > ?)',
        params: [lastRowid],
      };
    }
    if (!filter) return plan;
    // A filter matching many events (an actor's 75k of 1M): its first page walks the time index
    // and keeps matches (a few thousand rows read) rather than sorting every match (0.7 s).
    // Below this share the matches are sparse, or may all sit in one corner of the time range
    // (a walk would then read most of the index), and sorting them is the cheaper way.
    plan.timeScanAbove = Math.max(FIELD_TIME_SCAN_ABOVE, Math.ceil(lastRowid * FIELD_TIME_SCAN_SHARE));
    if (!(text.ftsReady || text.pendingText) || !containsText(filter)) return plan;
    plan.timeScanAbove = TIME_SCAN_ABOVE;
    if (
      text.ftsReady &&
      filter.kind === 'text' &&
      query.from === undefined &&
      query.to === undefined &&
      query.seqs === undefined
    ) {
      plan.count = {
        sql: 'SELECT count(*) FROM events_fts WHERE events_fts MATCH ? AND rowid <= ?',
        params: [toFtsQuery(filter.text, filter.phrase), lastRowid],
      };
    }
    return plan;
  }

  private result(handle: string): ResultSet {
    const result = this.results.get(handle);
    if (!result) throw new Error(`unknown result handle ${handle}`);
    return result;
  }

  count(handle: string): number {
    return this.result(handle).count();
  }

  positionOf(handle: string, time: number): number {
    return this.result(handle).positionOf(time);
  }

  rows(handle: string, start: number, limit: number): StoredEvent[] {
    return this.result(handle).rows(start, limit).map(fromStoredRow);
  }

  closeResult(handle: string): void {
    this.results.delete(handle);
  }

  histogram(
    query: EventQuery,
    options: { stackBy?: StackBy; interval?: number; maxBuckets?: number } = {},
  ): Histogram {
    const compiled = this.compile(query);
    return histogram(this.db, {
      ...compiled,
      unfiltered: query.filter === undefined && query.seqs === undefined,
      from: query.from,
      to: query.to,
      stackBy: options.stackBy ?? 'outcome',
      interval: options.interval,
      maxBuckets: options.maxBuckets,
    });
  }

  /**
   * Activity over time per value of a field (the Timeline's swimlanes): the `lanes` most frequent
   * values among the query's matches, each counted in the same buckets, failures apart. A lane is
   * exactly the query AND field = value, so a click on it shows in the table what it counted.
   */
  /** Per-entity activity summaries of a query (the busiest `limit`, or the values named). */
  activity(
    query: EventQuery,
    field: JourneyField,
    options: { limit: number; values?: string[] },
  ): ActivitySummary[] {
    return activitySummaries(this.db, this.compile(query), field, options);
  }

  /** Swimlanes of entities' sessions, failures and sensitive actions (the actor journey). */
  journey(
    query: EventQuery,
    field: JourneyField,
    values: string[],
    options: { gapMinutes?: number; maxItems?: number } = {},
  ): JourneyLane[] {
    return journey(this.db, this.compile(query), field, values, {
      gapMicros: (options.gapMinutes ?? 30) * 60e6,
      maxItems: options.maxItems ?? 2000,
    });
  }

  lanes(query: EventQuery, field: string, options: { lanes?: number; maxBuckets?: number } = {}): Lanes {
    const top = this.topValues(query, field, options.lanes ?? 12);
    const overall = this.histogram(query, { maxBuckets: options.maxBuckets ?? 120 });
    const origin = Math.floor(overall.from / overall.interval) * overall.interval;
    const lanes = top.values.map(({ value, count }) => {
      const counted = histogram(this.db, {
        ...this.compile(narrowQuery(query, { kind: 'field', field, op: 'eq', value })),
        unfiltered: false,
        from: overall.from,
        to: overall.to,
        interval: overall.interval,
        stackBy: 'outcome',
      });
      return {
        value,
        // What the lane's cells hold, which a click shows. (The ranking count can be smaller: it
        // gives each event to its first filled column, while the lane matches any of them.)
        total: counted.buckets.reduce((n, b) => n + b.total, 0) || count,
        cells: counted.buckets.map(
          (b) => [Math.round((b.start - origin) / overall.interval), b.total, b.counts.failure ?? 0] as Cell,
        ),
      };
    });
    return {
      interval: overall.interval,
      from: origin,
      buckets: Math.max(1, Math.ceil((overall.to - origin) / overall.interval)),
      total: top.total,
      lanes,
    };
  }

  /** The most frequent values of a field (normalized name or raw path) among the query's matches. */
  topValues(query: EventQuery, field: string, limit = 20): { total: number; values: FieldValueCount[] } {
    const { where, params } = this.compile(query);
    const counts = new Map<string, number>();
    // A field over several columns (actor: name, else email, else id) counts each row once, by
    // its first filled column; each pass is a GROUP BY one column, which an index can serve.
    // Case-insensitive, like field equality in searches (and like the NOCASE indexes).
    const columns = facetColumns(field);
    columns.forEach(({ expression, expressionParams }, index) => {
      // Normalizers store missing values as NULL, never '': IS NULL keeps these passes on the index.
      const earlierEmpty = columns.slice(0, index).map((c) => `${c.expression} IS NULL`);
      const earlierParams = columns.slice(0, index).flatMap((c) => c.expressionParams);
      // Later passes count only rows whose first column is empty: found through that column's
      // index. Left to itself SQLite walks this column's own index and looks up every row
      // (0.3 s per pass on 1M events against ~0 ms).
      const firstIndex = index > 0 ? COLUMN_INDEXES[columns[0]?.expression ?? ''] : undefined;
      const rows = this.db
        .prepare(
          `SELECT ${expression} AS value, count(*) AS n FROM events ${firstIndex ? `INDEXED BY ${firstIndex}` : ''}
           WHERE (${where}) ${earlierEmpty.map((c) => `AND ${c}`).join(' ')} AND value IS NOT NULL AND value <> ''
           GROUP BY value COLLATE NOCASE ORDER BY n DESC LIMIT ?`,
        )
        .raw()
        .all(...expressionParams, ...params, ...earlierParams, limit) as [string | number, number][];
      for (const [value, count] of rows) counts.set(String(value), (counts.get(String(value)) ?? 0) + count);
    });
    const values = [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, limit);
    const total = this.db
      .prepare(`SELECT count(*) FROM events WHERE ${where}`)
      .pluck()
      .get(...params) as number;
    return { total, values };
  }

  event(seq: number): StoredEvent | undefined {
    const row = this.db.prepare(`SELECT ${SELECT_EVENT_COLUMNS} FROM events WHERE rowid = ?`).raw().get(seq);
    return row ? fromStoredRow(row as unknown[]) : undefined;
  }

  /** The counts alone: the workspace's header asks for them while a tail stores. */
  counts(): CaseCounts {
    const count = (sql: string): number => this.db.prepare(sql).pluck().get() as number;
    return {
      events: count('SELECT count(*) FROM events'),
      imports: count('SELECT count(*) FROM imports'),
      rejects: count('SELECT count(*) FROM rejects'),
      ftsReady: this.ftsReady(),
    };
  }

  stats(): CaseStats {
    const groups = (column: string, limit: number): FieldValueCount[] =>
      (
        this.db
          .prepare(`SELECT ${column}, count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?`)
          .raw()
          .all(limit) as [string, number][]
      ).map(([value, n]) => ({ value, count: n }));
    const span = this.db.prepare('SELECT min(time), max(time) FROM events').raw().get() as [
      number | null,
      number | null,
    ];
    return {
      ...this.counts(),
      first: span[0],
      last: span[1],
      bySource: groups('source', 100),
      byAction: groups('action', 50),
      byOutcome: groups('outcome', 10),
      byCategory: groups('category', 20),
    };
  }

  imports(): ImportRecord[] {
    return (
      this.db
        .prepare(
          `SELECT id, path, size, sha256, format, container, accepted, duplicates, rejected, started_at AS startedAt,
                  ended_at AS endedAt, status, error FROM imports ORDER BY id`,
        )
        .all() as ImportRecord[]
    ).map((row) => ({ ...row }));
  }

  rejects(importId: number | undefined, start: number, limit: number): RejectRow[] {
    const rows = this.db
      .prepare(
        `SELECT import_id, byte_offset, line, length, reason, head FROM rejects
         WHERE (? IS NULL OR import_id = ?) ORDER BY id LIMIT ? OFFSET ?`,
      )
      .raw()
      .all(importId ?? null, importId ?? null, limit, start) as [
      number,
      number,
      number,
      number,
      string,
      Buffer,
    ][];
    return rows.map(([id, offset, line, length, reason, head]) => ({
      importId: id,
      offset,
      line,
      length,
      reason,
      head: new TextDecoder('utf-8', { fatal: false }).decode(head),
    }));
  }
}

interface FacetColumn {
  expression: string;
  expressionParams: string[];
}

/** The SQL expressions a facet groups by, in order of preference; raw paths bind their JSON path. */
export function facetColumns(field: string): FacetColumn[] {
  const def = resolveField(field);
  if (def) {
    // A person reads names before emails before opaque ids.
    const rank = (column: string): number =>
      column.endsWith('_name') ? 0 : column.endsWith('_email') ? 1 : 2;
    return [...def.columns]
      .sort((a, b) => rank(a) - rank(b))
      .map((column) => ({ expression: column, expressionParams: [] }));
  }
  const path = parseRawPath(field);
  if (!path.ok) throw new Error(path.message);
  return [{ expression: 'json_extract(coalesce(document, raw), ?)', expressionParams: [toJsonPath(field)] }];
}

/** SQL for a field's value: its first filled column (actor: name, else email, else id). */
export function fieldExpression(field: string): { text: string; params: string[] } {
  const columns = facetColumns(field);
  return {
    text:
      columns.length === 1
        ? (columns[0]?.expression ?? 'NULL')
        : `coalesce(${columns.map((c) => c.expression).join(', ')})`,
    params: columns.flatMap((c) => c.expressionParams),
  };
}
