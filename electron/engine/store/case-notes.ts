import type Database from 'better-sqlite3';
import type { CaseNote, CaseNoteDraft } from '../../../shared/domain/case-note.ts';
import type { Journal } from './journal.ts';
import { hasTable } from './case-db.ts';

type NoteRow = { id: number; time: number | null; body: string; created_at: number; updated_at: number };

const toNote = (row: NoteRow): CaseNote => ({
  id: row.id,
  time: row.time,
  body: row.body,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Adds a case note, or replaces the text and instant of one, journaled with its text. */
export function saveCaseNote(
  db: Database.Database,
  journal: Journal,
  draft: CaseNoteDraft,
  now = Date.now(),
): CaseNote {
  return db.transaction(() => {
    let row: NoteRow | undefined;
    if (draft.id === undefined) {
      row = db
        .prepare(
          'INSERT INTO case_notes (time, body, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING *',
        )
        .get(draft.time, draft.body, now, now) as NoteRow;
    } else {
      row = db
        .prepare('UPDATE case_notes SET time = ?, body = ?, updated_at = ? WHERE id = ? RETURNING *')
        .get(draft.time, draft.body, now, draft.id) as NoteRow | undefined;
      if (!row) throw new Error(`case note ${draft.id} does not exist`);
    }
    journal.append('note.saved', { id: row.id, time: row.time, body: row.body }, now);
    return toNote(row);
  })();
}

export function deleteCaseNote(db: Database.Database, journal: Journal, id: number): void {
  db.transaction(() => {
    if (db.prepare('DELETE FROM case_notes WHERE id = ?').run(id).changes > 0)
      journal.append('note.deleted', { id });
  })();
}

/** The case's notes: pinned ones in time order, then the unpinned by creation. */
export function caseNotes(db: Database.Database): CaseNote[] {
  if (!hasTable(db, 'case_notes')) return [];
  return (
    db.prepare('SELECT * FROM case_notes ORDER BY time IS NOT NULL, time, created_at, id').all() as NoteRow[]
  ).map(toNote);
}
