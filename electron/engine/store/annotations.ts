import type Database from 'better-sqlite3';
import type { AnnotationChange, EventMarks, Tag } from '../../../shared/domain/annotations.ts';
import type { Journal } from './journal.ts';
import { hasTable } from './case-db.ts';

/** Tag colours, picked by the tag's name so a tag keeps its colour from case to case. */
const PALETTE = ['#4c9aff', '#3fb27f', '#f0a35a', '#f0605a', '#b57edc', '#e06bb0', '#5ec7d6', '#c9b458'];

export function tagColor(name: string): string {
  let hash = 0;
  for (const char of name.toLowerCase()) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return PALETTE[hash % PALETTE.length] as string;
}

/** Ids of `seqs` that exist, in chunks small enough for SQLite's parameter limit. */
function existing(db: Database.Database, seqs: readonly number[]): { seq: number; id: string }[] {
  const found: { seq: number; id: string }[] = [];
  for (let i = 0; i < seqs.length; i += 500) {
    const chunk = seqs.slice(i, i + 500);
    found.push(
      ...(db
        .prepare(
          `SELECT rowid AS seq, event_id AS id FROM events WHERE rowid IN (${chunk.map(() => '?').join(',')})`,
        )
        .all(...chunk) as { seq: number; id: string }[]),
    );
  }
  return found;
}

/**
 * Stars, tags or notes events (one change, any number of events) in one transaction with its
 * journal entry, which names the events by their ids. Original records are never touched.
 */
export function annotate(
  db: Database.Database,
  journal: Journal,
  seqs: readonly number[],
  change: AnnotationChange,
  now = Date.now(),
): { events: number } {
  return db.transaction(() => {
    const events = existing(db, seqs);
    const upsertMark = db.prepare(
      `INSERT INTO marks (event_rowid, starred, note, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (event_rowid) DO UPDATE SET
         starred = coalesce(?, starred), note = CASE WHEN ? THEN excluded.note ELSE note END, updated_at = excluded.updated_at`,
    );
    if (change.star !== undefined) {
      const starred = change.star ? 1 : 0;
      for (const { seq } of events) upsertMark.run(seq, starred, null, now, starred, 0);
    }
    if (change.note !== undefined) {
      for (const { seq } of events) upsertMark.run(seq, 0, change.note, now, null, 1);
    }
    if (change.addTag !== undefined) {
      db.prepare('INSERT INTO tags (name, color) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(
        change.addTag,
        tagColor(change.addTag),
      );
      const tagId = db.prepare('SELECT id FROM tags WHERE name = ?').pluck().get(change.addTag) as number;
      const insert = db.prepare('INSERT OR IGNORE INTO event_tags (event_rowid, tag_id) VALUES (?, ?)');
      for (const { seq } of events) insert.run(seq, tagId);
    }
    if (change.removeTag !== undefined) {
      const tagId = db.prepare('SELECT id FROM tags WHERE name = ?').pluck().get(change.removeTag) as
        number | undefined;
      if (tagId !== undefined) {
        const remove = db.prepare('DELETE FROM event_tags WHERE event_rowid = ? AND tag_id = ?');
        for (const { seq } of events) remove.run(seq, tagId);
        db.prepare(
          'DELETE FROM tags WHERE id = ? AND NOT EXISTS (SELECT 1 FROM event_tags WHERE tag_id = ?)',
        ).run(tagId, tagId);
      }
    }
    // A mark with nothing left on it is no mark.
    db.prepare('DELETE FROM marks WHERE starred = 0 AND note IS NULL').run();
    journal.append(
      'annotate',
      {
        change,
        events: events.length,
        // Named by their ids (stable across re-imports); a bulk change lists the first thousand.
        ids: events.slice(0, 1000).map((e) => e.id),
      },
      now,
    );
    return { events: events.length };
  })();
}

/** The marks of these events (those without any are left out). */
export function marksOf(db: Database.Database, seqs: readonly number[]): EventMarks[] {
  if (!hasTable(db, 'marks') || seqs.length === 0) return [];
  const marks = new Map<number, EventMarks>();
  for (let i = 0; i < seqs.length; i += 500) {
    const chunk = seqs.slice(i, i + 500);
    const list = chunk.map(() => '?').join(',');
    for (const row of db
      .prepare(`SELECT event_rowid AS seq, starred, note FROM marks WHERE event_rowid IN (${list})`)
      .all(...chunk) as { seq: number; starred: number; note: string | null }[]) {
      marks.set(row.seq, {
        seq: row.seq,
        starred: row.starred === 1,
        ...(row.note === null ? {} : { note: row.note }),
        tags: [],
      });
    }
    for (const row of db
      .prepare(
        `SELECT et.event_rowid AS seq, t.name, t.color FROM event_tags et JOIN tags t ON t.id = et.tag_id
          WHERE et.event_rowid IN (${list}) ORDER BY t.name`,
      )
      .all(...chunk) as { seq: number; name: string; color: string }[]) {
      const mark = marks.get(row.seq) ?? { seq: row.seq, starred: false, tags: [] };
      mark.tags.push({ name: row.name, color: row.color });
      marks.set(row.seq, mark);
    }
  }
  return [...marks.values()];
}

/** Every tag of the case, with how many events carry it. */
export function tagsOf(db: Database.Database): Tag[] {
  if (!hasTable(db, 'tags')) return [];
  return db
    .prepare(
      `SELECT t.name, t.color, (SELECT count(*) FROM event_tags et WHERE et.tag_id = t.id) AS count
         FROM tags t ORDER BY count DESC, t.name`,
    )
    .all() as Tag[];
}
