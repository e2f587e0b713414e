import { withoutWaitingForDisk, type CaseDb } from './case-db.ts';
import { COL, EVENT_COLUMNS, type EventRow } from './event-row.ts';
import type { RecordReject } from '../ingest/types.ts';
import { ROWID_HIGH_WATER_KEY } from './delete-events.ts';

export interface ImportStart {
  path: string;
  format: string;
  container: string;
}

export interface ImportEnd {
  status: 'complete' | 'failed' | 'cancelled';
  size: number | null;
  sha256: string | null;
  error?: string;
}

export interface BatchResult {
  accepted: number;
  duplicates: number;
  rejected: number;
}

const MICROS_PER_MINUTE = 60_000_000;
const MINUTES_PER_HOUR = 60;

/**
 * All writes of an import. One batch is one transaction: a batch is either wholly visible with its
 * counts, or not at all, so a killed process never leaves a half batch behind.
 */
export class EventWriter {
  private readonly db: CaseDb;
  private readonly insertEvent;
  private readonly insertEventAt;
  private readonly highWater;
  private readonly insertReject;
  private readonly addMinuteCount;
  private readonly addHourCount;
  private readonly addImportCounts;
  private readonly writeBatch;
  private readonly writeRows;
  /** A transaction over several batches is open (beginSpan). */
  private spanning = false;

  constructor(db: CaseDb) {
    this.db = db;
    this.insertEvent = db.prepare(
      `INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT(time, event_id) DO NOTHING`,
    );
    this.insertEventAt = db.prepare(
      `INSERT INTO events (rowid, ${EVENT_COLUMNS.join(', ')}) VALUES (?, ${EVENT_COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT(time, event_id) DO NOTHING`,
    );
    this.highWater = db
      .prepare(
        `SELECT CAST(value AS INTEGER) FROM meta WHERE key = '${ROWID_HIGH_WATER_KEY}'
         AND CAST(value AS INTEGER) > (SELECT coalesce(max(rowid), 0) FROM events)`,
      )
      .pluck();
    this.insertReject = db.prepare(
      `INSERT INTO rejects (import_id, byte_offset, line, length, reason, head) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.addMinuteCount = db.prepare(
      `INSERT INTO minute_counts (minute, outcome, category, count) VALUES (?, ?, ?, ?)
       ON CONFLICT(minute, outcome, category) DO UPDATE SET count = count + excluded.count`,
    );
    this.addHourCount = db.prepare(
      `INSERT INTO hour_counts (hour, outcome, category, count) VALUES (?, ?, ?, ?)
       ON CONFLICT(hour, outcome, category) DO UPDATE SET count = count + excluded.count`,
    );
    this.addImportCounts = db.prepare(
      `UPDATE imports SET accepted = accepted + ?, duplicates = duplicates + ?, rejected = rejected + ? WHERE id = ?`,
    );
    this.writeRows = (importId: number, rows: EventRow[], rejects: RecordReject[]): BatchResult => {
      const minutes = new Map<string, number>();
      let accepted = 0;
      // After the newest events were deleted, SQLite would give their rowids out again: the
      // first new event goes above the highest ever used, and the rest follow it.
      let floor = this.rowidFloor();
      for (const row of rows) {
        row[COL.import_id] = importId;
        if (floor !== undefined) {
          if (this.insertEventAt.run(floor + 1, ...row).changes === 0) continue;
          floor = undefined;
        } else if (this.insertEvent.run(row).changes === 0) continue;
        accepted++;
        const minute = Math.floor((row[COL.time] as number) / MICROS_PER_MINUTE);
        const key = `${minute}\u0000${row[COL.outcome]}\u0000${row[COL.category]}`;
        minutes.set(key, (minutes.get(key) ?? 0) + 1);
      }
      const hours = new Map<string, number>();
      for (const [key, count] of minutes) {
        const [minute, outcome, category] = key.split('\u0000');
        this.addMinuteCount.run(Number(minute), outcome, category, count);
        const hourKey = `${Math.floor(Number(minute) / MINUTES_PER_HOUR)}\u0000${outcome}\u0000${category}`;
        hours.set(hourKey, (hours.get(hourKey) ?? 0) + count);
      }
      for (const [key, count] of hours) {
        const [hour, outcome, category] = key.split('\u0000');
        this.addHourCount.run(Number(hour), outcome, category, count);
      }
      for (const reject of rejects) {
        this.insertReject.run(
          importId,
          reject.offset,
          reject.line,
          reject.length,
          reject.reason,
          Buffer.from(reject.head),
        );
      }
      const result = { accepted, duplicates: rows.length - accepted, rejected: rejects.length };
      this.addImportCounts.run(result.accepted, result.duplicates, result.rejected, importId);
      return result;
    };
    this.writeBatch = db.transaction(this.writeRows);
  }

  /** The highest rowid ever given out, when deletions left it above every rowid in use. */
  private rowidFloor(): number | undefined {
    return this.highWater.get() as number | undefined;
  }

  beginImport(start: ImportStart): number {
    const info = this.db
      .prepare(
        `INSERT INTO imports (path, format, container, started_at, status) VALUES (?, ?, ?, ?, 'running')`,
      )
      .run(start.path, start.format, start.container, Date.now());
    return Number(info.lastInsertRowid);
  }

  /**
   * Stores a batch in its own transaction, or in the span's: not nested in a savepoint there,
   * which would copy every page the batch touches to a statement journal first (a third more of
   * a live tail's whole CPU time).
   */
  insertBatch(importId: number, rows: EventRow[], rejects: RecordReject[]): BatchResult {
    return this.spanning ? this.writeRows(importId, rows, rejects) : this.writeBatch(importId, rows, rejects);
  }

  /**
   * Opens a transaction over several batches (a tail's file; see import-runner), redone if a power
   * cut takes it, so its commit need not wait for the disk (see withoutWaitingForDisk).
   */
  beginSpan(): void {
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.exec('BEGIN IMMEDIATE');
      this.spanning = true;
    } catch (error) {
      this.db.pragma('synchronous = FULL');
      throw error;
    }
  }

  /** Commits (or rolls back) what `beginSpan` opened; a commit that fails is rolled back. */
  endSpan(commit: boolean): void {
    try {
      if (commit) this.db.exec('COMMIT');
    } catch (error) {
      commit = false;
      throw error;
    } finally {
      this.spanning = false;
      if (!commit && this.db.inTransaction) this.db.exec('ROLLBACK');
      this.db.pragma('synchronous = FULL');
    }
  }

  /** Runs writes that are redone if a power cut takes them (a tail's batch): see withoutWaitingForDisk. */
  redoable<T>(write: () => T): T {
    return withoutWaitingForDisk(this.db, write);
  }

  finishImport(importId: number, end: ImportEnd): void {
    this.db
      .prepare(`UPDATE imports SET status = ?, size = ?, sha256 = ?, error = ?, ended_at = ? WHERE id = ?`)
      .run(end.status, end.size, end.sha256, end.error ?? null, Date.now(), importId);
  }

  /** Folds the write-ahead log back into the case file (after an import, and on close). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
