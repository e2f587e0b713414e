import { useState } from 'react';
import type { CaseNote } from '../../../../shared/domain/case-note.ts';
import { parseTimestamp } from '../../../../shared/lib/parse-time.ts';
import { formatTimeUtc } from '../../../../shared/lib/format-time.ts';
import { call } from '../../lib/api.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';

/**
 * Writes or edits a case note: Markdown text, and the instant it belongs at on the story line
 * (typed as ISO 8601 in UTC, or empty for a note about the whole case).
 */
export function NoteEditor({
  note,
  time,
  onDone,
}: {
  /** The note to edit; a new one when absent. */
  note?: CaseNote;
  /** Where a new note starts pinned (epoch µs), e.g. after the event it was written from. */
  time?: number;
  onDone(saved: boolean): void;
}) {
  const [body, setBody] = useState(note?.body ?? '');
  const initial = note ? note.time : (time ?? null);
  const [when, setWhen] = useState(initial === null ? '' : formatTimeUtc(initial));
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const parsed = when.trim() === '' ? null : (parseTimestamp(when.trim())?.time ?? undefined);

  const save = (): void => {
    // One save at a time: a double click must not write the note twice.
    if (parsed === undefined || saving) return;
    setSaving(true);
    call('note.save', { ...(note ? { id: note.id } : {}), time: parsed, body }).then(
      () => onDone(true),
      (e: Error) => {
        setSaving(false);
        setError(e.message);
      },
    );
  };

  return (
    <form
      className="note-editor case-note-editor"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <textarea
        aria-label="Case note"
        value={body}
        rows={5}
        autoFocus
        placeholder="What happened, what it means, what to do next (Markdown)"
        onChange={(e) => setBody(e.target.value)}
      />
      <label>
        At (UTC){' '}
        <input
          aria-label="Note time"
          className="mono"
          placeholder="the whole case"
          value={when}
          aria-invalid={parsed === undefined}
          onChange={(e) => setWhen(e.target.value)}
        />
      </label>
      <button
        type="submit"
        className="primary"
        disabled={body.trim() === '' || parsed === undefined || saving}
      >
        Save note
      </button>
      <button type="button" onClick={() => onDone(false)}>
        Cancel
      </button>
      <ErrorNote message={error} />
    </form>
  );
}
