import type { CaseDb } from '../store/case-db.ts';
import { SELECT_EVENT_COLUMNS, type StoredRow } from '../store/event-row.ts';

/** Every STRIDE-th (time, rowid) key of a result is remembered, so any position is one short seek. */
const STRIDE = 256;

export interface CompiledQuery {
  where: string;
  params: (string | number)[];
  order: 'asc' | 'desc';
}

/** Shortcuts the caller knows from the query's shape. */
export interface ResultPlan {
  /** A cheaper statement giving the same count (a free-text search counted in the index alone). */
  count?: { sql: string; params: (string | number)[] };
  /** Where to keep position checkpoints so later results of the same query reuse them. */
  checkpointCache?: Map<string, [number, number][]>;
  /**
   * Free-text matches arrive in index order: past this many, the first page walks the time index
   * and keeps matches (a few hundred rows read) instead of sorting every match by time.
   */
  timeScanAbove?: number;
}

/**
 * A query's result with random access by position, for a virtualized table over millions of rows.
 * Rows are ordered by (time, rowid); positions map to keys through checkpoints taken every
 * STRIDE rows, so a window anywhere costs a keyset seek plus < STRIDE skipped index entries —
 * never an OFFSET that grows with depth.
 */
export class ResultSet {
  private readonly db: CaseDb;
  private readonly query: CompiledQuery;
  private total: number | undefined;
  private checkpoints: [number, number][] | undefined;

  private readonly plan: ResultPlan;

  constructor(db: CaseDb, query: CompiledQuery, plan: ResultPlan = {}) {
    this.db = db;
    this.query = query;
    this.plan = plan;
  }

  count(): number {
    const { sql, params } = this.plan.count ?? {
      sql: `SELECT count(*) FROM events WHERE ${this.query.where}`,
      params: this.query.params,
    };
    this.total ??= this.db.prepare(sql).pluck().get(...params) as number;
    return this.total;
  }

  /** Rows [start, start + limit) of the result in the query's order. */
  rows(start: number, limit: number): StoredRow[] {
    if (limit <= 0 || start < 0) return [];
    const { where, params, order } = this.query;
    if (start === 0) {
      // The first page needs no positions: a plain ordered scan, as fast as a reopen can be.
      const direction = order === 'asc' ? 'ASC' : 'DESC';
      const scanTime = this.plan.timeScanAbove !== undefined && this.count() > this.plan.timeScanAbove;
      return this.db
        .prepare(
          `SELECT ${SELECT_EVENT_COLUMNS} FROM events ${scanTime ? 'INDEXED BY events_time' : ''}
           WHERE ${where} ORDER BY time ${direction}, rowid ${direction} LIMIT ?`,
        )
        .raw()
        .all(...params, limit) as StoredRow[];
    }
    const total = this.count();
    if (start >= total) return [];
    const end = Math.min(total, start + limit);
    if (order === 'asc') return this.ascendingWindow(start, end);
    // Descending position p is ascending position total-1-p: fetch the mirror window and reverse it.
    return this.ascendingWindow(total - end, total - start).reverse();
  }

  private ascendingWindow(start: number, end: number): StoredRow[] {
    const checkpoints = this.buildCheckpoints();
    const index = Math.floor(start / STRIDE);
    const checkpoint = checkpoints[index];
    if (!checkpoint) return [];
    return this.db
      .prepare(
        `SELECT ${SELECT_EVENT_COLUMNS} FROM events WHERE (${this.query.where}) AND (time, rowid) >= (?, ?)
         ORDER BY time ASC, rowid ASC LIMIT ? OFFSET ?`,
      )
      .raw()
      .all(...this.query.params, checkpoint[0], checkpoint[1], end - start, start - index * STRIDE) as StoredRow[];
  }

  private buildCheckpoints(): [number, number][] {
    const cacheKey = JSON.stringify([this.query.where, this.query.params]);
    this.checkpoints ??= this.plan.checkpointCache?.get(cacheKey);
    if (this.checkpoints) return this.checkpoints;
    this.checkpoints = this.db
      .prepare(
        `SELECT time, rowid FROM (
           SELECT time, rowid, row_number() OVER (ORDER BY time, rowid) - 1 AS position
           FROM events WHERE ${this.query.where})
         WHERE position % ${STRIDE} = 0 ORDER BY position`,
      )
      .raw()
      .all(...this.query.params) as [number, number][];
    this.plan.checkpointCache?.set(cacheKey, this.checkpoints);
    return this.checkpoints;
  }
}
