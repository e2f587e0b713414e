import type Database from 'better-sqlite3';
import { SavedRange, type SavedSearch } from '../../../shared/domain/saved-search.ts';
import type { Journal } from './journal.ts';
import { hasTable } from './case-db.ts';

/** Saves (or replaces, by name) a search with the case, journaled. */
export function saveSearch(
  db: Database.Database,
  journal: Journal,
  search: Omit<SavedSearch, 'savedAt'>,
  now = Date.now(),
): SavedSearch {
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO saved_searches (name, search, range, saved_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET search = excluded.search, range = excluded.range, saved_at = excluded.saved_at`,
    ).run(search.name, search.search, JSON.stringify(search.range), now);
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

/** The case's saved searches by name (none in a case from before them, opened only to read). */
export function savedSearches(db: Database.Database): SavedSearch[] {
  if (!hasTable(db, 'saved_searches')) return [];
  return (
    db.prepare('SELECT name, search, range, saved_at FROM saved_searches ORDER BY name').all() as {
      name: string;
      search: string;
      range: string;
      saved_at: number;
    }[]
  ).flatMap((row) => {
    const range = SavedRange.safeParse(JSON.parse(row.range));
    return range.success
      ? [{ name: row.name, search: row.search, range: range.data, savedAt: row.saved_at }]
      : [];
  });
}
