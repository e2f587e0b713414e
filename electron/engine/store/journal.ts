import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { JournalEntry } from '../../../shared/domain/journal.ts';
import { canonicalJson } from '../ingest/event-id.ts';
import { hasTable } from './case-db.ts';

/** The hash the first entry chains to. */
export const GENESIS = '0'.repeat(64);

/** An entry's hash covers its place, time, action, detail and the hash of the entry before it. */
export function entryHash(entry: {
  seq: number;
  time: number;
  action: string;
  detail: string;
  prevHash: string;
}): string {
  return createHash('sha256')
    .update(`${entry.prevHash}\n${entry.seq}\n${entry.time}\n${entry.action}\n${entry.detail}`)
    .digest('hex');
}

interface Row {
  seq: number;
  time: number;
  action: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

const toEntry = (row: Row): JournalEntry => ({
  seq: row.seq,
  time: row.time,
  action: row.action,
  detail: JSON.parse(row.detail) as Record<string, unknown>,
  prevHash: row.prev_hash,
  hash: row.hash,
});

/**
 * The case journal: a hash chain of what was done to the case, appended by the writer only. It
 * makes any change to a past entry (or its removal) detectable by `verifyJournal`; it cannot
 * stop someone with write access from rewriting the whole chain, which is why reports print the
 * head hash: kept elsewhere, it pins the history up to that point.
 */
export class Journal {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  append(action: string, detail: Record<string, unknown>, time = Date.now()): JournalEntry {
    return this.db.transaction(() => {
      const last = this.db.prepare('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1').get() as
        { seq: number; hash: string } | undefined;
      const entry = {
        seq: (last?.seq ?? 0) + 1,
        time,
        action,
        // Keys sorted at every level (as for event ids): the same detail, the same text and hash.
        detail: canonicalJson(detail),
        prevHash: last?.hash ?? GENESIS,
      };
      const hash = entryHash(entry);
      this.db
        .prepare('INSERT INTO journal (seq, time, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)')
        .run(entry.seq, entry.time, entry.action, entry.detail, entry.prevHash, hash);
      return { ...entry, detail, hash };
    })();
  }

  isEmpty(): boolean {
    return this.db.prepare('SELECT 1 FROM journal LIMIT 1').get() === undefined;
  }
}

/** The journal's entries, newest last (for reports and the UI). */
export function readJournal(db: Database.Database, start = 0, limit = 1000): JournalEntry[] {
  if (!hasTable(db, 'journal')) return [];
  return (db.prepare('SELECT * FROM journal ORDER BY seq LIMIT ? OFFSET ?').all(limit, start) as Row[]).map(
    toEntry,
  );
}

/**
 * Re-checks the chain: every entry's hash recomputed from its stored fields, every entry linked
 * to the one before, no entry missing. Names the first entry that does not hold.
 */
export function verifyJournal(db: Database.Database): {
  entries: number;
  head: string | null;
  broken: { seq: number; reason: string } | null;
} {
  let previous = { seq: 0, hash: GENESIS };
  let entries = 0;
  for (const row of db.prepare('SELECT * FROM journal ORDER BY seq').iterate() as IterableIterator<Row>) {
    entries++;
    const broken = (reason: string) => ({ entries, head: previous.hash, broken: { seq: row.seq, reason } });
    if (row.seq !== previous.seq + 1) return broken(`entry ${previous.seq + 1} is missing`);
    if (row.prev_hash !== previous.hash) return broken('does not link to the entry before it');
    const expected = entryHash({
      seq: row.seq,
      time: row.time,
      action: row.action,
      detail: row.detail,
      prevHash: row.prev_hash,
    });
    if (row.hash !== expected) return broken('its contents do not match its hash');
    try {
      JSON.parse(row.detail);
    } catch {
      return broken('its detail is not valid JSON');
    }
    previous = { seq: row.seq, hash: row.hash };
  }
  return { entries, head: entries > 0 ? previous.hash : null, broken: null };
}
