import { useEffect, useRef, useState } from 'react';
import type { EventQuery } from '../../../../shared/domain/query.ts';
import type { RemoteScope } from '../../../../shared/domain/source.ts';
import { resolveField } from '../../../../shared/query/fields.ts';
import { call } from '../../lib/api.ts';
import { cellText } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import {
  applySuggestion,
  fieldSuggestions,
  tokenAt,
  valueSuggestions,
  type Suggestion,
} from './autocomplete.ts';

/** Applies the typed search after a short pause, so the table does not re-query on every key. */
const SEARCH_DELAY_MS = 250;
const VALUE_LOOKUP_DELAY_MS = 120;

/**
 * The search box: the query syntax, with field names and (from the engine, with counts) values
 * suggested at the caret. ↑/↓ choose, Enter or Tab take a suggestion, Esc closes the list.
 */
export function SearchBox({
  searchRef,
  valueQuery,
}: {
  searchRef: React.RefObject<HTMLInputElement | null>;
  /** The current window without the search itself: what value counts are counted over. */
  valueQuery: EventQuery;
}) {
  const searchText = useWorkspace((s) => s.searchText);
  const searchError = useWorkspace((s) => s.searchError);
  const setSearchText = useWorkspace((s) => s.setSearchText);
  const [draft, setDraft] = useState(searchText);
  const [caret, setCaret] = useState(0);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [values, setValues] = useState<
    { key: string; list: { value: string; count: number }[] } | undefined
  >();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  const token = tokenAt(draft, caret);
  const field = token.field;
  // Over a table read in place, its server suggests the values.
  const scope = useWorkspace((s) => s.remote?.scope);
  const valueKey = field === undefined ? undefined : JSON.stringify([field, valueQuery, scope ?? null]);

  useEffect(() => {
    if (valueKey === undefined || !open) return;
    let live = true;
    const [name, query, inScope] = JSON.parse(valueKey) as [string, EventQuery, RemoteScope | null];
    const lookup = setTimeout(() => {
      void call('query.topValues', query, name, 50, inScope).then(
        (top) => {
          if (live) setValues({ key: valueKey, list: top.values });
        },
        () => undefined,
      );
    }, VALUE_LOOKUP_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(lookup);
    };
  }, [valueKey, open]);

  const suggestions: Suggestion[] =
    field === undefined
      ? token.value === ''
        ? []
        : fieldSuggestions(token.value)
      : values !== undefined && values.key === valueKey && (resolveField(field)?.kind ?? 'text') === 'text'
        ? valueSuggestions(field, token.value, values.list).slice(0, 12)
        : [];
  const showing = open && suggestions.length > 0;

  const commit = (text: string): void => {
    clearTimeout(timer.current);
    setSearchText(text);
  };

  const edit = (text: string, at: number): void => {
    setDraft(text);
    setCaret(at);
    setActive(0);
    setOpen(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setSearchText(text), SEARCH_DELAY_MS);
  };

  const take = (suggestion: Suggestion): void => {
    const next = applySuggestion(draft, token, suggestion);
    edit(next.text, next.caret);
    requestAnimationFrame(() => searchRef.current?.setSelectionRange(next.caret, next.caret));
  };

  return (
    <div className={`search${searchError ? ' invalid' : ''}`}>
      <input
        ref={searchRef}
        type="search"
        spellCheck={false}
        autoComplete="off"
        placeholder='Search: actor:alice action:iam.* outcome:failure ip:10.0.0.0/8 "phrase" -excluded   ( / )'
        aria-label="Search"
        aria-invalid={searchError !== undefined}
        aria-autocomplete="list"
        aria-expanded={showing}
        aria-controls="search-suggestions"
        value={draft}
        onChange={(e) => edit(e.target.value, e.target.selectionStart ?? e.target.value.length)}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (showing && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
            e.preventDefault();
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setActive((active + step + suggestions.length) % suggestions.length);
          } else if (showing && (e.key === 'Tab' || (e.key === 'Enter' && active >= 0))) {
            e.preventDefault();
            const chosen = suggestions[active];
            if (chosen) take(chosen);
          } else if (e.key === 'Enter') {
            setOpen(false);
            commit(draft);
          } else if (e.key === 'Escape') {
            // Handled here: the first Esc closes the suggestions, the next leaves the box.
            e.preventDefault();
            if (showing) setOpen(false);
            else e.currentTarget.blur();
          }
        }}
      />
      {showing && (
        <ul id="search-suggestions" className="suggestions" role="listbox" aria-label="Suggestions">
          {suggestions.map((suggestion, i) => (
            <li
              key={suggestion.insert}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                take(suggestion);
              }}
            >
              <span className="suggestion-label">{cellText(suggestion.label)}</span>
              {suggestion.detail && <span className="muted">{suggestion.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
