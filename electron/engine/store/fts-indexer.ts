import { lastEventRowid, preparedOnce, withoutWaitingForDisk, type CaseDb } from './case-db.ts';

const FTS_DONE_KEY = 'fts_indexed_through';
const MAX_WALK_DEPTH = 64;

/**
 * Builds the values-only free-text index behind the table, in small transactions, so browsing
 * never waits for it. Values only: indexing key names too (every record repeats `eventVersion`,
 * `userIdentity`, …) would double the build time and the index size for no search value.
 */
export class FtsIndexer {
  private readonly db: CaseDb;
  private readonly readPending;
  private readonly insertBody;
  private readonly setDone;

  constructor(db: CaseDb) {
    this.db = db;
    this.readPending = db
      .prepare(`SELECT rowid, coalesce(document, raw) FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?`)
      .raw();
    this.insertBody = db.prepare(`INSERT INTO events_fts (rowid, body) VALUES (?, ?)`);
    this.setDone = db.prepare(`INSERT INTO meta (key, value) VALUES ('${FTS_DONE_KEY}', ?)
      ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  }

  /** Highest rowid already indexed. */
  indexedThrough(): number {
    return freeTextIndexedThrough(this.db);
  }

  /** Indexes up to `limit` more events; returns how many it indexed (0 when caught up). */
  indexNext(limit: number): number {
    const done = this.indexedThrough();
    const rows = this.readPending.all(done, limit) as [number, string][];
    if (rows.length === 0) return 0;
    // Rebuilt from its high-water mark if lost: no need to wait for the disk.
    withoutWaitingForDisk(this.db, () =>
      this.db.transaction(() => {
        for (const [rowid, text] of rows) this.insertBody.run(rowid, searchableText(text));
        this.setDone.run(String(rows[rows.length - 1]?.[0] ?? done));
      })(),
    );
    return rows.length;
  }
}

/** True when the free-text index covers every event (else free text must fall back to a scan). */
export function freeTextIndexComplete(db: CaseDb): boolean {
  return freeTextIndexedThrough(db) >= lastEventRowid(db);
}

/** The highest rowid the free-text index covers (every event up to it is indexed). */
export function freeTextIndexedThrough(db: CaseDb): number {
  const done = preparedOnce(db, `SELECT value FROM meta WHERE key = '${FTS_DONE_KEY}'`).pluck().get() as
    string | undefined;
  return Number(done ?? 0);
}

/** The values of a JSON record joined by spaces (keys left out); non-JSON text as it is. */
export function searchableText(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  const parts: string[] = [];
  // Iterative walk with a depth cap: input-shaped data must never drive recursion.
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || node === undefined) continue;
    if (typeof node === 'string') parts.push(node);
    else if (typeof node === 'number' || typeof node === 'boolean') parts.push(String(node));
    else if (typeof node === 'object' && depth < MAX_WALK_DEPTH) {
      const children = Array.isArray(node) ? node : Object.values(node);
      for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], depth + 1]);
    }
  }
  return parts.join(' ');
}
