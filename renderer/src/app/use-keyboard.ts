import { useEffect } from 'react';
import { useWorkspace } from '../stores/workspace.ts';
import { useMarks } from '../stores/marks.ts';
import type { ResultView } from '../features/logs/use-result.ts';

/** Copies rows as JSON lines (one event per line, raw record included). */
async function copyRows(result: ResultView, positions: readonly number[]): Promise<void> {
  const rows = await result.cache.rowsAt(positions);
  await navigator.clipboard.writeText(rows.map((row) => JSON.stringify(row)).join('\n'));
  const { setNotice } = useWorkspace.getState();
  setNotice(`Copied ${rows.length} event${rows.length === 1 ? '' : 's'} as JSON`);
  setTimeout(() => {
    if (useWorkspace.getState().notice?.startsWith('Copied')) setNotice(undefined);
  }, 3000);
}

async function toggleStars(result: ResultView, positions: readonly number[]): Promise<void> {
  const seqs = (await result.cache.rowsAt(positions)).map((row) => row.seq);
  const marks = useMarks.getState();
  const allStarred = seqs.every((seq) => marks.bySeq.get(seq)?.starred === true);
  try {
    await marks.annotate(seqs, { star: !allStarred });
  } catch (error) {
    useWorkspace.getState().setNotice((error as Error).message);
    return;
  }
  useWorkspace
    .getState()
    .setNotice(`${allStarred ? 'Unstarred' : 'Starred'} ${seqs.length} event${seqs.length === 1 ? '' : 's'}`);
}

/**
 * The workspace keys: `/` focuses the search, j/k or the arrows move the cursor row, PageUp/Down
 * and Home/End jump, Enter opens the cursor row's details, Esc closes them, Ctrl/Cmd+C copies
 * the selected rows, `s` stars or unstars them, `?` shows the shortcuts and the search syntax.
 */
export function useKeyboard(
  searchRef: React.RefObject<HTMLInputElement | null>,
  result: ResultView | undefined,
  openHelp: () => void,
) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      // A component that handled the key (a menu, a dialog, the suggestions) has the last word.
      if (event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      const typing =
        target?.tagName === 'INPUT' || target?.tagName === 'SELECT' || target?.tagName === 'TEXTAREA';
      // Enter on a focused button or link is that control's: it clicks it.
      const onControl = target?.tagName === 'BUTTON' || target?.tagName === 'A';
      const state = useWorkspace.getState();
      if (event.key === 'Escape') {
        // Esc in a field leaves the field first; the next Esc closes the details.
        if (typing) target?.blur();
        else state.openDetail(undefined);
        return;
      }
      if (!typing && (event.ctrlKey || event.metaKey) && event.key === 'c' && result) {
        // A text selection copies as usual; otherwise the selected rows (or the cursor row).
        if (window.getSelection()?.toString()) return;
        event.preventDefault();
        void copyRows(result, state.selected.length > 0 ? state.selected : [state.cursor]);
        return;
      }
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      const count = result?.count ?? 0;
      const move = (to: number): void => {
        event.preventDefault();
        const position = Math.min(Math.max(0, to), Math.max(0, count - 1));
        state.setCursor(position);
        if (state.detailSeq !== undefined) {
          const row = result?.cache.row(position);
          if (row) state.openDetail(row.seq);
        }
      };
      switch (event.key) {
        case '/':
          event.preventDefault();
          searchRef.current?.focus();
          break;
        case '?':
          event.preventDefault();
          openHelp();
          break;
        case 's':
          // Star or unstar the selected rows (or the cursor row): all starred → unstar.
          if (result) {
            event.preventDefault();
            void toggleStars(result, state.selected.length > 0 ? state.selected : [state.cursor]);
          }
          break;
        case 'j':
        case 'ArrowDown':
          move(state.cursor + 1);
          break;
        case 'k':
        case 'ArrowUp':
          move(state.cursor - 1);
          break;
        case 'PageDown':
          move(state.cursor + 25);
          break;
        case 'PageUp':
          move(state.cursor - 25);
          break;
        case 'Home':
          move(0);
          break;
        case 'End':
          move(count - 1);
          break;
        case 'Enter': {
          if (onControl) break;
          const row = result?.cache.row(state.cursor);
          if (row) state.openDetail(row.seq);
          break;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [searchRef, result, openHelp]);
}
