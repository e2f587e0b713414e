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
  checkpointCache?: Map<string, KnownKeys>;
  /**
   * Free-text matches arrive in index order: past this many, the first page walks the time index
   * and keeps matches (a few hundred rows read) instead of sorting every match by time.
   */
  timeScanAbove?: number;
}

/**
 * A query's result with random access by position, for a virtualized table over millions of rows.
 * Rows are ordered by (time, rowid); positions map to keys through checkpoints every STRIDE rows,
 * so a window anywhere costs a keyset seek plus < STRIDE skipped index entries — never an OFFSET
 * that grows with depth once the checkpoint is known.
 */
export class ResultSet {
  private readonly db: CaseDb;
  private readonly query: CompiledQuery;
  private total: number | undefined;
  private keys: KnownKeys | undefined;

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
    this.total ??= this.db
      .prepare(sql)
      .pluck()
      .get(...params) as number;
    return this.total;
  }

  /**
   * The position of the first row at `time` or past it in the result's order: the row a jump
   * to that time lands on (the count of rows before it), from the time index.
   */
  positionOf(time: number): number {
    const before = this.query.order === 'desc' ? 'time > ?' : 'time < ?';
    return this.db
      .prepare(`SELECT count(*) FROM events WHERE (${this.query.where}) AND ${before}`)
      .pluck()
      .get(...this.query.params, time) as number;
  }

  /** Rows [start, start + limit) of the result in the query's order. */
  rows(start: number, limit: number): StoredRow[] {
    if (limit <= 0 || start < 0) return [];
    const { where, params, order } = this.query;
    // Nothing matches (and the count said so already): no scan of the time index for nothing.
    if (this.total === 0) return [];
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
    const index = Math.floor(start / STRIDE);
    const checkpoint = this.checkpointAt(index);
    if (!checkpoint) return [];
    return this.db
      .prepare(
        `SELECT ${SELECT_EVENT_COLUMNS} FROM events WHERE (${this.query.where}) AND (time, rowid) >= (?, ?)
         ORDER BY time ASC, rowid ASC LIMIT ? OFFSET ?`,
      )
      .raw()
      .all(
        ...this.query.params,
        checkpoint[0],
        checkpoint[1],
        end - start,
        start - index * STRIDE,
      ) as StoredRow[];
  }

  /**
   * The (time, rowid) key at position index × STRIDE. Keys already found are remembered (and
   * shared by later results of the same query); a new one is sought from the nearest known key,
   * the start or the end, walking only the index in between (~25 ns a row). Scrolling therefore
   * costs almost nothing, and the first jump into a million rows a few milliseconds.
   */
  private checkpointAt(index: number): Key | undefined {
    const known = this.knownKeys();
    const cached = known.get(index);
    if (cached) return cached;
    const position = index * STRIDE;
    const total = this.count();
    if (position >= total) return undefined;
    const below = known.nearestBelow(index);
    const above = known.nearestAbove(index);
    const fromBelow = below ? position - below[0] * STRIDE : position;
    const fromAbove = above ? above[0] * STRIDE - position : total - 1 - position;
    const { where, params } = this.query;
    let key: Key | undefined;
    if (fromBelow <= fromAbove) {
      key = (
        below
          ? this.db
              .prepare(
                `SELECT time, rowid FROM events WHERE (${where}) AND (time, rowid) >= (?, ?) ORDER BY time, rowid LIMIT 1 OFFSET ?`,
              )
              .raw()
              .get(...params, below[1][0], below[1][1], fromBelow)
          : this.db
              .prepare(`SELECT time, rowid FROM events WHERE ${where} ORDER BY time, rowid LIMIT 1 OFFSET ?`)
              .raw()
              .get(...params, fromBelow)
      ) as Key | undefined;
    } else {
      key = (
        above
          ? this.db
              .prepare(
                `SELECT time, rowid FROM events WHERE (${where}) AND (time, rowid) < (?, ?) ORDER BY time DESC, rowid DESC LIMIT 1 OFFSET ?`,
              )
              .raw()
              .get(...params, above[1][0], above[1][1], fromAbove - 1)
          : this.db
              .prepare(
                `SELECT time, rowid FROM events WHERE ${where} ORDER BY time DESC, rowid DESC LIMIT 1 OFFSET ?`,
              )
              .raw()
              .get(...params, fromAbove)
      ) as Key | undefined;
    }
    if (key) known.set(index, key);
    return key;
  }

  private knownKeys(): KnownKeys {
    if (this.keys) return this.keys;
    const cacheKey = JSON.stringify([this.query.where, this.query.params]);
    this.keys = this.plan.checkpointCache?.get(cacheKey) ?? new KnownKeys();
    this.plan.checkpointCache?.set(cacheKey, this.keys);
    return this.keys;
  }
}

type Key = [time: number, rowid: number];

/** Checkpoint keys found so far, by checkpoint index, with nearest-neighbour lookup. */
export class KnownKeys {
  private readonly keys = new Map<number, Key>();
  private readonly sorted: number[] = [];

  get(index: number): Key | undefined {
    return this.keys.get(index);
  }

  set(index: number, key: Key): void {
    if (this.keys.has(index)) return;
    this.keys.set(index, key);
    this.sorted.splice(this.insertionPoint(index), 0, index);
  }

  nearestBelow(index: number): [number, Key] | undefined {
    const at = this.sorted[this.insertionPoint(index) - 1];
    return at === undefined ? undefined : [at, this.keys.get(at) as Key];
  }

  nearestAbove(index: number): [number, Key] | undefined {
    const at = this.sorted[this.insertionPoint(index)];
    return at === undefined ? undefined : [at, this.keys.get(at) as Key];
  }

  /** First position in `sorted` holding a value ≥ index. */
  private insertionPoint(index: number): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.sorted[mid] as number) < index) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
