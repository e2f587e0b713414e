import { useCallback, useEffect, useRef, useState } from 'react';
import { useDismiss } from '../../components/use-escape.ts';
import type { HistoryEntry, SavedSearch } from '../../../../shared/domain/saved-search.ts';
import { call } from '../../lib/api.ts';
import { cellText } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { useColumns } from '../../stores/columns.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';

/** Searches of the history the menu lists. */
const RECENT = 12;

/** The range a search is saved with: the preset as is, a custom range as its bounds. */
export function currentRange(): SavedSearch['range'] {
  const { preset, customFrom, customTo } = useWorkspace.getState();
  if (preset !== 'custom') return { preset };
  return {
    ...(customFrom === undefined ? {} : { from: customFrom }),
    ...(customTo === undefined ? {} : { to: customTo }),
  };
}

function apply(search: string, range: SavedSearch['range'], columns?: string[]): void {
  useWorkspace.getState().applySearch(search, 'preset' in range ? { preset: range.preset } : range);
  if (columns) useColumns.getState().showOnly(columns);
}

/** A search counts as run once it has stood this long (typing through it does not). */
const SETTLE_MS = 1500;

/** Records the searches run in this case for the history: each non-empty search that settles. */
function useRecordSearches(): void {
  const searchText = useWorkspace((s) => s.searchText);
  const searchError = useWorkspace((s) => s.searchError);
  const preset = useWorkspace((s) => s.preset);
  const customFrom = useWorkspace((s) => s.customFrom);
  const customTo = useWorkspace((s) => s.customTo);
  useEffect(() => {
    if (searchText.trim() === '' || searchError) return;
    const timer = setTimeout(() => {
      void call('search.record', { search: searchText, range: currentRange() }).catch(() => undefined);
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [searchText, searchError, preset, customFrom, customTo]);
}

function rangeLabel(range: SavedSearch['range']): string {
  if ('preset' in range) return range.preset === 'all' ? 'all time' : `last ${range.preset}`;
  return 'custom range';
}

/**
 * "Saved ▾" in the filter bar: the case's saved searches (the search text, time range and the
 * table's columns), one click to run one again; save the current search under a name; delete;
 * and the searches run lately in this case (the history), to go back to.
 */
export function SavedSearches() {
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState<SavedSearch[]>([]);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const menu = useRef<HTMLDivElement>(null);

  useRecordSearches();
  // Esc closes it wherever the focus went (a saved name leaves the Save button disabled).
  const close = useCallback(() => setOpen(false), []);
  useDismiss(menu, close, open);
  useEffect(() => {
    if (!open) return;
    call('search.list').then(setSaved, (e: Error) => setError(e.message));
    call('search.history').then(
      (h) => setHistory(h.slice(0, RECENT)),
      () => undefined,
    );
  }, [open]);

  const save = (): void => {
    const search = useWorkspace.getState().searchText;
    setError(undefined);
    const columns = useColumns
      .getState()
      .layout.filter((c) => !c.hidden)
      .map((c) => c.id);
    call('search.save', { name: name.trim(), search, range: currentRange(), columns }).then(
      () => {
        setName('');
        return call('search.list').then(setSaved);
      },
      (e: Error) => setError(e.message),
    );
  };

  return (
    <div className="saved-searches" ref={menu}>
      <button type="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        Saved ▾
      </button>
      {open && (
        <div className="menu" role="menu" aria-label="Saved searches">
          {saved.length === 0 && <p className="menu-note muted">No saved searches in this case yet.</p>}
          {saved.map((s) => (
            <div key={s.name} className="menu-row">
              <button
                type="button"
                role="menuitem"
                title={s.search}
                onClick={() => {
                  setOpen(false);
                  apply(s.search, s.range, s.columns);
                }}
              >
                {cellText(s.name)}
                <span className="menu-path">{cellText(s.search || '(all events)')}</span>
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Delete saved search ${s.name}`}
                onClick={() => {
                  void call('search.delete', s.name).then(() => setSaved(saved.filter((x) => x !== s)));
                }}
              >
                ✕
              </button>
            </div>
          ))}
          {history.length > 0 && <div className="menu-heading">Recent searches</div>}
          {history.map((h) => (
            <button
              key={`${h.search}\u0000${JSON.stringify(h.range)}`}
              type="button"
              role="menuitem"
              className="history-item"
              title={h.search}
              onClick={() => {
                setOpen(false);
                apply(h.search, h.range);
              }}
            >
              <span className="mono">{cellText(h.search)}</span>
              <span className="menu-path">{rangeLabel(h.range)}</span>
            </button>
          ))}
          <form
            className="menu-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim()) save();
            }}
          >
            <input
              aria-label="Name for the current search"
              placeholder="Save the current search as…"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" disabled={!name.trim()}>
              Save
            </button>
          </form>
          <ErrorNote message={error} />
        </div>
      )}
    </div>
  );
}
