import type Database from 'better-sqlite3';
import { SavedRange, type HistoryEntry, type SavedSearch } from '../../../shared/domain/saved-search.ts';
import type { Journal } from './journal.ts';
import { hasTable } from './case-db.ts';

/** Searches the history keeps; older ones fall off. */
export const HISTORY_LIMIT = 200;

/** Saves (or replaces, by name) a search with the case, journaled. */
export function saveSearch(
  db: Database.Database,
  journal: Journal,
  search: Omit<SavedSearch, 'savedAt'>,
  now = Date.now(),
): SavedSearch {
  return db.transaction(() => {
    const columns = search.columns === undefined ? null : JSON.stringify(search.columns);
    db.prepare(
      `INSERT INTO saved_searches (name, search, range, columns, saved_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET search = excluded.search, range = excluded.range,
         columns = excluded.columns, saved_at = excluded.saved_at`,
    ).run(search.name, search.search, JSON.stringify(search.range), columns, now);
    journal.append('search.saved', { name: search.name, search: search.search, range: search.range }, now);
    return { ...search, savedAt: now };
  })();
}

export function deleteSearch(db: Database.Database, journal: Journal, name: string): void {
  db.transaction(() => {
    if (db.prepare('DELETE FROM saved_searches WHERE name = ?').run(name).changes > 0)
      journal.append('search.deleted', { name });
  })();
}

function parseColumns(text: string | null): string[] | undefined {
  if (text === null) return undefined;
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) && value.every((c) => typeof c === 'string') ? value : undefined;
}

/** The case's saved searches by name (none in a case from before them, opened only to read). */
export function savedSearches(db: Database.Database): SavedSearch[] {
  if (!hasTable(db, 'saved_searches')) return [];
  const hasColumns = hasTable(db, 'search_history'); // both came with migration 6
  return (
    db
      .prepare(
        `SELECT name, search, range, ${hasColumns ? 'columns' : 'NULL AS columns'}, saved_at
           FROM saved_searches ORDER BY name`,
      )
      .all() as { name: string; search: string; range: string; columns: string | null; saved_at: number }[]
  ).flatMap((row) => {
    const range = SavedRange.safeParse(JSON.parse(row.range));
    const columns = parseColumns(row.columns);
    return range.success
      ? [
          {
            name: row.name,
            search: row.search,
            range: range.data,
            ...(columns ? { columns } : {}),
            savedAt: row.saved_at,
          },
        ]
      : [];
  });
}

/**
 * Remembers a search that was run (the same text and range moves to the top). Not journaled: the
 * history records what the analyst looked at, it changes nothing of the evidence.
 */
export function recordSearch(
  db: Database.Database,
  entry: Omit<HistoryEntry, 'usedAt'>,
  now = Date.now(),
): void {
  db.transaction(() => {
    // Strictly after the newest entry: two searches within a millisecond keep their order.
    const newest = db.prepare('SELECT coalesce(max(used_at), 0) FROM search_history').pluck().get() as number;
    db.prepare(
      `INSERT INTO search_history (search, range, used_at) VALUES (?, ?, ?)
       ON CONFLICT (search, range) DO UPDATE SET used_at = excluded.used_at`,
    ).run(entry.search, JSON.stringify(entry.range), Math.max(now, newest + 1));
    db.prepare(
      `DELETE FROM search_history WHERE rowid NOT IN
         (SELECT rowid FROM search_history ORDER BY used_at DESC, rowid DESC LIMIT ?)`,
    ).run(HISTORY_LIMIT);
  })();
}

/** The searches run in this case, the newest first. */
export function searchHistory(db: Database.Database, limit = HISTORY_LIMIT): HistoryEntry[] {
  if (!hasTable(db, 'search_history')) return [];
  return (
    db
      .prepare('SELECT search, range, used_at FROM search_history ORDER BY used_at DESC, rowid DESC LIMIT ?')
      .all(limit) as { search: string; range: string; used_at: number }[]
  ).flatMap((row) => {
    const range = SavedRange.safeParse(JSON.parse(row.range));
    return range.success ? [{ search: row.search, range: range.data, usedAt: row.used_at }] : [];
  });
}
