import type { CaseDb } from '../store/case-db.ts';
import { fromStoredRow, SELECT_EVENT_COLUMNS } from '../store/event-row.ts';
import { histogram, type Histogram, type StackBy } from './histogram.ts';
import { compileSqlite, toFtsQuery } from './compile-sqlite.ts';
import { ResultSet, type ResultPlan } from './result-set.ts';
import { resolveField, parseRawPath } from '../../../shared/query/fields.ts';
import type { EventQuery, Filter } from '../../../shared/domain/query.ts';
import type { AuditEvent } from '../../../shared/domain/audit-event.ts';
import type { ImportRecord, RejectRow } from '../../../shared/domain/import.ts';
import type { CaseStats, FieldValueCount } from '../../../shared/domain/case.ts';

export type StoredEvent = AuditEvent & { seq: number };

/** Matches above which a free-text first page walks the time index instead of sorting matches. */
const TIME_SCAN_ABOVE = 2000;

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
  private readonly results = new Map<string, ResultSet>();
  private nextHandle = 1;

  constructor(db: CaseDb) {
    this.db = db;
  }

  /** True when the free-text index covers every event (else free text falls back to a scan). */
  ftsReady(): boolean {
    const last = this.db.prepare('SELECT coalesce(max(rowid), 0) FROM events').pluck().get() as number;
    const done = this.db.prepare(`SELECT value FROM meta WHERE key = 'fts_indexed_through'`).pluck().get() as
      | string
      | undefined;
    return Number(done ?? 0) >= last;
  }

  private compile(query: EventQuery): { where: string; params: (string | number)[] } {
    return compileSqlite(query, { ftsReady: this.ftsReady() });
  }

  openResult(query: EventQuery): string {
    const handle = `r${this.nextHandle++}`;
    const ftsReady = this.ftsReady();
    const compiled = compileSqlite(query, { ftsReady });
    this.results.set(handle, new ResultSet(this.db, { ...compiled, order: query.order ?? 'desc' }, this.plan(query, ftsReady)));
    return handle;
  }

  private plan(query: EventQuery, ftsReady: boolean): ResultPlan {
    const filter = query.filter;
    if (!ftsReady || !filter || !containsText(filter)) return {};
    const plan: ResultPlan = { timeScanAbove: TIME_SCAN_ABOVE };
    if (filter.kind === 'text' && query.from === undefined && query.to === undefined) {
      plan.count = {
        sql: 'SELECT count(*) FROM events_fts WHERE events_fts MATCH ?',
        params: [toFtsQuery(filter.text, filter.phrase)],
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

  rows(handle: string, start: number, limit: number): StoredEvent[] {
    return this.result(handle).rows(start, limit).map(fromStoredRow);
  }

  closeResult(handle: string): void {
    this.results.delete(handle);
  }

  histogram(query: EventQuery, options: { stackBy?: StackBy; interval?: number; maxBuckets?: number } = {}): Histogram {
    const compiled = this.compile(query);
    return histogram(this.db, {
      ...compiled,
      unfiltered: query.filter === undefined,
      from: query.from,
      to: query.to,
      stackBy: options.stackBy ?? 'outcome',
      interval: options.interval,
      maxBuckets: options.maxBuckets,
    });
  }

  /** The most frequent values of a field (normalized name or raw path) among the query's matches. */
  topValues(query: EventQuery, field: string, limit = 20): { total: number; values: FieldValueCount[] } {
    const { where, params } = this.compile(query);
    const { expression, expressionParams } = facetExpression(field);
    const rows = this.db
      .prepare(
        `SELECT value, count(*) AS n FROM (SELECT ${expression} AS value FROM events WHERE ${where})
         WHERE value IS NOT NULL AND value <> '' GROUP BY value ORDER BY n DESC, value LIMIT ?`,
      )
      .raw()
      .all(...expressionParams, ...params, limit) as [string | number, number][];
    const total = this.db.prepare(`SELECT count(*) FROM events WHERE ${where}`).pluck().get(...params) as number;
    return { total, values: rows.map(([value, count]) => ({ value: String(value), count })) };
  }

  event(seq: number): StoredEvent | undefined {
    const row = this.db.prepare(`SELECT ${SELECT_EVENT_COLUMNS} FROM events WHERE rowid = ?`).raw().get(seq);
    return row ? fromStoredRow(row as unknown[]) : undefined;
  }

  stats(): CaseStats {
    const count = (sql: string): number => this.db.prepare(sql).pluck().get() as number;
    const groups = (column: string, limit: number): FieldValueCount[] =>
      (
        this.db
          .prepare(`SELECT ${column}, count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?`)
          .raw()
          .all(limit) as [string, number][]
      ).map(([value, n]) => ({ value, count: n }));
    const span = this.db.prepare('SELECT min(time), max(time) FROM events').raw().get() as [number | null, number | null];
    return {
      events: count('SELECT count(*) FROM events'),
      imports: count('SELECT count(*) FROM imports'),
      rejects: count('SELECT count(*) FROM rejects'),
      first: span[0],
      last: span[1],
      bySource: groups('source', 100),
      byAction: groups('action', 50),
      byOutcome: groups('outcome', 10),
      byCategory: groups('category', 20),
      ftsReady: this.ftsReady(),
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
      .all(importId ?? null, importId ?? null, limit, start) as [number, number, number, number, string, Buffer][];
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

/** The SQL expression a facet groups by; raw paths go through json_extract with a bound path. */
function facetExpression(field: string): { expression: string; expressionParams: string[] } {
  const def = resolveField(field);
  if (def) {
    // A person reads names before emails before opaque ids.
    const rank = (column: string): number => (column.endsWith('_name') ? 0 : column.endsWith('_email') ? 1 : 2);
    const columns = [...def.columns].sort((a, b) => rank(a) - rank(b));
    const expression = columns.length > 1 ? `coalesce(${columns.join(', ')})` : (columns[0] as string);
    return { expression, expressionParams: [] };
  }
  const path = parseRawPath(field);
  if (!path.ok) throw new Error(path.message);
  return {
    expression: 'json_extract(coalesce(document, raw), ?)',
    expressionParams: ['$' + path.segments.map((s) => `."${s}"`).join('')],
  };
}
