import { useEffect, useState } from 'react';
import type { Tag } from '../../../../shared/domain/annotations.ts';
import { call } from '../../lib/api.ts';
import { cellText, safeTagColor } from '../../lib/format.ts';
import { useMarks } from '../../stores/marks.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { Markdown } from '../../components/Markdown.tsx';

/**
 * The detail panel's marks: star, tags (add from the case's tags or a new one, remove), and a
 * note. Every change is kept in the case and journaled by the engine. Notes are Markdown, made into
 * elements (never HTML: see Markdown).
 */
export function MarksSection({ seq }: { seq: number }) {
  const mark = useMarks((s) => s.bySeq.get(seq));
  const annotate = useMarks((s) => s.annotate);
  const [tags, setTags] = useState<Tag[]>([]);
  const [newTag, setNewTag] = useState('');
  const [note, setNote] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    useMarks.getState().request([seq]);
    call('tag.list').then(setTags, () => undefined);
  }, [seq]);

  const change = (run: Promise<void>): void => {
    setError(undefined);
    run.then(
      () => call('tag.list').then(setTags, () => undefined),
      (e: Error) => setError(e.message),
    );
  };
  const starred = mark?.starred === true;
  const editing = note !== undefined;

  return (
    <section className="marks-section" aria-label="Marks">
      <div className="marks-row">
        <button
          type="button"
          className={`star-button${starred ? ' starred' : ''}`}
          aria-pressed={starred}
          title={starred ? 'Unstar (s)' : 'Star (s)'}
          onClick={() => change(annotate([seq], { star: !starred }))}
        >
          {starred ? '★ Starred' : '☆ Star'}
        </button>
        {mark?.tags.map((tag) => (
          <span key={tag.name} className="tag-chip" style={{ borderColor: safeTagColor(tag.color) }}>
            {cellText(tag.name)}
            <button
              type="button"
              className="text-button"
              aria-label={`Remove tag ${tag.name}`}
              onClick={() => change(annotate([seq], { removeTag: tag.name }))}
            >
              ✕
            </button>
          </span>
        ))}
        <form
          className="tag-form"
          onSubmit={(e) => {
            e.preventDefault();
            const name = newTag.trim();
            if (name === '') return;
            setNewTag('');
            change(annotate([seq], { addTag: name }));
          }}
        >
          <input
            aria-label="Add a tag"
            placeholder="+ tag"
            list="case-tags"
            value={newTag}
            spellCheck={false}
            onChange={(e) => setNewTag(e.target.value)}
          />
          <datalist id="case-tags">
            {tags.map((tag) => (
              <option key={tag.name} value={tag.name}>
                {tag.count}
              </option>
            ))}
          </datalist>
        </form>
      </div>
      {editing ? (
        <div className="note-editor">
          <textarea
            aria-label="Note"
            value={note}
            rows={4}
            placeholder="What this event means for the investigation (Markdown)"
            onChange={(e) => setNote(e.target.value)}
          />
          <div>
            <button
              type="button"
              onClick={() => {
                const text = note.trim();
                setNote(undefined);
                change(annotate([seq], { note: text === '' ? null : text }));
              }}
            >
              Save note
            </button>
            <button type="button" onClick={() => setNote(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      ) : mark?.note !== undefined ? (
        <div className="note-view">
          <Markdown className="note-text" text={mark.note} />
          <button type="button" className="text-button" onClick={() => setNote(mark.note)}>
            Edit note
          </button>
        </div>
      ) : (
        <button type="button" className="text-button" onClick={() => setNote('')}>
          + Add a note
        </button>
      )}
      <ErrorNote message={error} />
    </section>
  );
}
