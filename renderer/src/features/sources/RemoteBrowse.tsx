import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BrowseCursor, RemoteSearch, SourcePreviewRow } from '../../../../shared/contract.ts';
import { RemoteCharts } from './RemoteCharts.tsx';
import type { SourceInfo, SourceMapping } from '../../../../shared/domain/source.ts';
import { call } from '../../lib/api.ts';
import { cellText, formatCount } from '../../lib/format.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';

const PAGE = 200;
const ROW_HEIGHT = 22;
const COLUMNS = ['Time', 'Actor', 'Action', 'Target', 'Outcome', 'IP'] as const;

/** What one search has read so far: the rows, where the next page starts, the server's count. */
interface Browse {
  search: string;
  /** The search as sent (one object per search: the charts ask again only when it changes). */
  request: RemoteSearch;
  rows: SourcePreviewRow[];
  next: BrowseCursor | null;
  /** The server's count, or its estimate when counting took too long. */
  count?: { count: number; exact: boolean };
  /** Stopped by the analyst before the server answered. */
  stopped?: boolean;
}

/**
 * A table read in place, newest first: the search (the search box's syntax) runs on the
 * database server and only matching rows travel, a page at a time as the list is scrolled
 * (keyset pages: as fast at the millionth row as at the first), the count computed by the server
 * beside it. A row opens as the database holds it. Nothing is copied into the case.
 */
export function RemoteBrowse({
  source,
  table,
  mapping,
}: {
  source: SourceInfo;
  table: string;
  mapping: SourceMapping;
}) {
  const [text, setText] = useState('');
  const [browse, setBrowse] = useState<Browse | undefined>();
  const [open, setOpen] = useState<SourcePreviewRow | undefined>();
  const [error, setError] = useState<string | undefined>();
  /** Waiting on the server for this search's first page or its count (what Stop stops). */
  const [busy, setBusy] = useState(false);
  const loading = useRef(false);
  const generation = useRef(0);
  const scrollRef = useRef<HTMLDivElement>(null);

  // Another table or mapping: what was read no longer applies.
  useEffect(() => {
    generation.current++;
    setBrowse(undefined);
    setOpen(undefined);
  }, [source.id, table, mapping]);

  const run = (search: string): void => {
    const mine = ++generation.current;
    setError(undefined);
    setOpen(undefined);
    loading.current = true;
    setBusy(true);
    const request = { search };
    setBrowse({ search, request, rows: [], next: null });
    call('source.browse', source.id, table, mapping, { search, after: null, limit: PAGE })
      .then((page) => {
        if (mine !== generation.current) return;
        setBrowse({ search, request, rows: page.rows, next: page.next });
        return call('source.count', source.id, table, mapping, { search }).then((count) => {
          if (mine === generation.current) setBrowse((b) => (b ? { ...b, count } : b));
        });
      })
      .catch((e: Error) => {
        if (mine === generation.current) setError(e.message);
      })
      .finally(() => {
        if (mine !== generation.current) return;
        loading.current = false;
        setBusy(false);
      });
  };

  /** The server stops what it runs for this search; what was read stays on screen. */
  const stop = (): void => {
    generation.current++;
    loading.current = false;
    setBusy(false);
    setBrowse((b) => (b ? { ...b, stopped: true } : b));
    call('source.cancel', source.id).catch((e: Error) => setError(e.message));
  };

  const more = useCallback(() => {
    if (!browse?.next || loading.current) return;
    const mine = generation.current;
    loading.current = true;
    call('source.browse', source.id, table, mapping, {
      search: browse.search,
      after: browse.next,
      limit: PAGE,
    })
      .then((page) => {
        if (mine !== generation.current) return;
        setBrowse((b) => (b ? { ...b, rows: [...b.rows, ...page.rows], next: page.next } : b));
      })
      .catch((e: Error) => {
        if (mine === generation.current) setError(e.message);
      })
      .finally(() => {
        if (mine === generation.current) loading.current = false;
      });
  }, [browse, source.id, table, mapping]);

  const rows = browse?.rows ?? [];
  // The virtualizer re-renders this component itself; nothing here memoizes its functions.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const lastShown = items[items.length - 1]?.index ?? 0;
  // The next page is asked for while the last rows read come into view.
  useEffect(() => {
    if (rows.length > 0 && lastShown >= rows.length - 40) more();
  }, [lastShown, rows.length, more]);

  return (
    <fieldset className="remote-browse" aria-label="Browse in place">
      <legend>Browse in place</legend>
      <form
        className="remote-search"
        onSubmit={(e) => {
          e.preventDefault();
          run(text.trim());
        }}
      >
        <input
          aria-label="Search the table"
          value={text}
          spellCheck={false}
          placeholder='search on the server: actor:alice action:login* target:42 "a phrase"'
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">Search</button>
        {busy && (
          <button type="button" onClick={stop}>
            Stop
          </button>
        )}
      </form>
      {browse && (
        <p className="muted" role="status">
          {browse.stopped
            ? `Stopped: the server cancelled the search; ${formatCount(rows.length)} rows read`
            : browse.count === undefined
              ? `${formatCount(rows.length)} rows read, counting on the server…`
              : browse.count.exact
                ? `${formatCount(browse.count.count)} matching rows (counted by the server); ${formatCount(rows.length)} read`
                : `about ${formatCount(browse.count.count)} matching rows (the server's estimate: counting took too long); ${formatCount(rows.length)} read`}
        </p>
      )}
      {browse && (
        <RemoteCharts
          source={source}
          table={table}
          mapping={mapping}
          search={browse.request}
          onNarrow={(term) => {
            const narrowed = browse.search ? `${browse.search} ${term}` : term;
            setText(narrowed);
            run(narrowed);
          }}
        />
      )}
      {browse && (
        <div className="remote-rows" ref={scrollRef} role="table" aria-label="Matching rows">
          <div className="remote-row remote-head" role="row">
            {COLUMNS.map((c) => (
              <span key={c} role="columnheader">
                {c}
              </span>
            ))}
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const p = rows[item.index] as SourcePreviewRow;
              const cells = p.event
                ? [p.event.time, p.event.actor, p.event.action, p.event.target, p.event.outcome, p.event.ip]
                : [p.error];
              return (
                <div
                  key={item.key}
                  role="row"
                  className={`remote-row${p.event ? '' : ' source-reject'}${open === p ? ' selected' : ''}`}
                  style={{ position: 'absolute', top: item.start, height: ROW_HEIGHT, left: 0, right: 0 }}
                  onClick={() => setOpen(p)}
                >
                  {cells.map((v, j) => (
                    <span key={j} role="cell">
                      {cellText(v)}
                    </span>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      )}
      {open && (
        <pre className="remote-detail" aria-label="Row as the database holds it">
          {JSON.stringify(open.row, null, 2)}
        </pre>
      )}
      <ErrorNote message={error} />
    </fieldset>
  );
}
