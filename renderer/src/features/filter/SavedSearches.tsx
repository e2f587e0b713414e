import { useCallback, useEffect, useRef, useState } from 'react';
import { useDismiss } from '../../components/use-escape.ts';
import type { SavedSearch } from '../../../../shared/domain/saved-search.ts';
import { call } from '../../lib/api.ts';
import { cellText } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';

/** The range a search is saved with: the preset as is, a custom range as its bounds. */
function currentRange(): SavedSearch['range'] {
  const { preset, customFrom, customTo } = useWorkspace.getState();
  if (preset !== 'custom') return { preset };
  return {
    ...(customFrom === undefined ? {} : { from: customFrom }),
    ...(customTo === undefined ? {} : { to: customTo }),
  };
}

/**
 * "Saved ▾" in the filter bar: the case's saved searches (the search text and time range), one
 * click to run one again; save the current search under a name; delete.
 */
export function SavedSearches() {
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState<SavedSearch[]>([]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const menu = useRef<HTMLDivElement>(null);

  // Esc closes it wherever the focus went (a saved name leaves the Save button disabled).
  const close = useCallback(() => setOpen(false), []);
  useDismiss(menu, close, open);
  useEffect(() => {
    if (open) call('search.list').then(setSaved, (e: Error) => setError(e.message));
  }, [open]);

  const save = (): void => {
    const search = useWorkspace.getState().searchText;
    setError(undefined);
    call('search.save', { name: name.trim(), search, range: currentRange() }).then(
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
                  useWorkspace
                    .getState()
                    .applySearch(s.search, 'preset' in s.range ? { preset: s.range.preset } : s.range);
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
