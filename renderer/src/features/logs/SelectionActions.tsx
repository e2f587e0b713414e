import { useState } from 'react';
import type { ResultView } from './use-result.ts';
import { useMarks } from '../../stores/marks.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { formatCount } from '../../lib/format.ts';

/** What the selected rows can be handed to (dialogs the workspace owns). */
export interface SelectionHandlers {
  onExport(seqs: number[]): void;
  onDelete(seqs: number[]): void;
}

/**
 * Bulk actions on the selected rows, in the table's footer: star or unstar, add a tag, export,
 * delete. The rows are fetched by position (pages not in view included), so a selection made by
 * Shift-click across thousands of rows acts on every one of them.
 */
export function SelectionActions({ result, handlers }: { result: ResultView; handlers: SelectionHandlers }) {
  const selected = useWorkspace((s) => s.selected);
  const [tag, setTag] = useState('');
  const [busy, setBusy] = useState(false);

  const withSeqs = async (act: (seqs: number[]) => Promise<void> | void): Promise<void> => {
    setBusy(true);
    try {
      await act((await result.cache.rowsAt(selected)).map((row) => row.seq));
    } catch (error) {
      useWorkspace.getState().setNotice((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const annotate = useMarks.getState().annotate;
  const n = selected.length;
  const plural = `${formatCount(n)} event${n === 1 ? '' : 's'}`;

  return (
    <span className="selection-actions" aria-label="Selected rows">
      <button
        type="button"
        className="text-button"
        disabled={busy}
        onClick={() =>
          void withSeqs(async (seqs) => {
            const marks = useMarks.getState().bySeq;
            const allStarred = seqs.every((seq) => marks.get(seq)?.starred === true);
            await annotate(seqs, { star: !allStarred });
            useWorkspace.getState().setNotice(`${allStarred ? 'Unstarred' : 'Starred'} ${plural}`);
          })
        }
      >
        ☆ Star
      </button>
      <form
        className="tag-form"
        onSubmit={(e) => {
          e.preventDefault();
          const name = tag.trim();
          if (name === '') return;
          void withSeqs(async (seqs) => {
            await annotate(seqs, { addTag: name });
            setTag('');
            useWorkspace.getState().setNotice(`Tagged ${plural} ${name}`);
          });
        }}
      >
        <input
          aria-label="Tag the selected rows"
          placeholder="+ tag all"
          value={tag}
          spellCheck={false}
          disabled={busy}
          onChange={(e) => setTag(e.target.value)}
        />
      </form>
      <button
        type="button"
        className="text-button"
        disabled={busy}
        onClick={() => void withSeqs(handlers.onExport)}
      >
        Export…
      </button>
      <button
        type="button"
        className="text-button danger-text"
        disabled={busy}
        onClick={() => void withSeqs(handlers.onDelete)}
      >
        Delete…
      </button>
    </span>
  );
}
