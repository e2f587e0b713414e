import type { CaseDb } from '../store/case-db.ts';
import { searchableText } from '../store/fts-indexer.ts';

/**
 * Past this many events the case's free-text index does not cover yet (a big import still being
 * indexed, a 20k rows/s tail), free text scans instead. Indexing here costs ~29 µs an event of
 * Okta's ~1 KB records (200,000 took 5.7 s, the next search 1 ms): 20,000 take about what a
 * substring scan of 600,000 events does (0.64 s), and a tail's last batches, which the case's
 * index is usually still working on, a fraction of that.
 */
const MAX_PENDING = 20_000;

/**
 * Free text over the events the case's index does not cover yet, on a reader's own connection:
 * a fast tail leaves that index behind on purpose (see writer-worker), and a scan would find
 * substrings where the index finds words. The same FTS5 tokenizer, over the same values
 * (searchableText), in a table of the connection's temp database, filled when a search needs it:
 * a search finds exactly what the full index will.
 */
export class PendingTextIndex {
  private readonly db: CaseDb;
  private readonly maxPending: number;
  private readonly readEvents;
  /** Prepared once the temp table exists (restart). */
  private insert: { run(rowid: number, body: string): unknown } | undefined;
  /** The case index's mark when this one started: it holds the events after it… */
  private from = 0;
  /** …up to this one. */
  private through = 0;

  constructor(db: CaseDb, maxPending = MAX_PENDING) {
    this.db = db;
    this.maxPending = maxPending;
    this.readEvents = db
      .prepare(
        'SELECT rowid, coalesce(document, raw) FROM events WHERE rowid > ? AND rowid <= ? ORDER BY rowid',
      )
      .raw();
  }

  /**
   * Makes this index hold every event after `mark` (what the case's index covers) up to `top`.
   * False when too many wait: free text must then scan.
   */
  cover(mark: number, top: number): boolean {
    if (top - mark > this.maxPending) return false;
    // Restarted once the case's index has passed all it holds, or it would only grow.
    const insert =
      !this.insert || mark > this.through || this.through - this.from > 2 * this.maxPending
        ? this.restart(mark)
        : this.insert;
    if (top <= this.through) return true;
    const rows = this.readEvents.all(this.through, top) as [number, string][];
    this.db.transaction(() => {
      for (const [rowid, text] of rows) insert.run(rowid, searchableText(text));
    })();
    this.through = top;
    return true;
  }

  /** An empty index after `mark`; returns the statement that adds to it. */
  private restart(mark: number): { run(rowid: number, body: string): unknown } {
    // The same tokenizer and options as the case's events_fts (schema.ts).
    this.db.exec(`DROP TABLE IF EXISTS temp.pending_fts;
      CREATE VIRTUAL TABLE temp.pending_fts USING fts5(body, content='', contentless_delete=1)`);
    this.insert = this.db.prepare('INSERT INTO temp.pending_fts (rowid, body) VALUES (?, ?)');
    this.from = mark;
    this.through = mark;
    return this.insert;
  }
}
