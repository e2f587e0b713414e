import { useEffect, useMemo, useState } from 'react';
import type { EventQuery } from '../../../../shared/domain/query.ts';
import type { RemoteScope } from '../../../../shared/domain/source.ts';
import { call } from '../../lib/api.ts';
import { PageCache } from './page-cache.ts';

/** Rows per page of the table's cache; the first page comes with the count. */
const FIRST_PAGE_ROWS = 200;

export interface ResultView {
  handle: string;
  count: number;
  /** The count is a database server's estimate (a table read in place; counting took too long). */
  estimated: boolean;
  cache: PageCache;
  /** Bumps when a page arrives, so rows re-render. */
  version: number;
  /** The same query is being asked again (new events): these rows stay shown until it answers. */
  refreshing?: boolean;
}

export type ResultState =
  { status: 'loading' } | { status: 'error'; message: string } | ({ status: 'ready' } & ResultView);

/**
 * Opens an engine result handle for the query — over the case, or over a table read in place
 * when a scope is given — with its count and a page cache; closes the handle when the query
 * changes or the view goes away. Rows are never held outside the bounded cache. When only the
 * data changed (new events stored: a live tail), the rows shown stay until the new result is
 * here, so a table refreshed several times a second never blanks.
 */
export function useResult(query: EventQuery, dataVersion: number, scope?: RemoteScope): ResultState {
  const queryKey = JSON.stringify([query, scope ?? null]);
  // The data version is part of the key: after an import the same query is asked again.
  const key = JSON.stringify([query, dataVersion, scope ?? null]);
  const [state, setState] = useState<{ key: string; queryKey: string; result: ResultState }>({
    key,
    queryKey,
    result: { status: 'loading' },
  });
  const [version, setVersion] = useState(0);
  /** Closes results replaced while still shown: once their successor is on screen. */
  const [retired] = useState<(() => void)[]>(() => []);

  useEffect(() => {
    let live = true;
    let ready = false;
    let handle: string | undefined;
    let cache: PageCache | undefined;
    const [parsedQuery, , parsedScope] = JSON.parse(key) as [EventQuery, number, RemoteScope | null];
    (async () => {
      handle = await call('query.open', parsedQuery, parsedScope);
      // The query changed while the handle was being opened: the cleanup below already ran
      // without it, so it is closed here.
      if (!live) {
        void call('query.close', handle).catch(() => undefined);
        return;
      }
      // The count and the first page in one go: the table appears with its rows, not empty.
      const opened = handle;
      const [count, firstPage] = await Promise.all([
        call('query.count', opened),
        call('query.rows', opened, 0, FIRST_PAGE_ROWS),
      ]);
      const estimated = parsedScope ? await call('query.estimated', opened) : false;
      if (!live) return;
      cache = new PageCache(
        (start, limit) => call('query.rows', opened, start, limit),
        () => setVersion((v) => v + 1),
        FIRST_PAGE_ROWS,
      );
      cache.seed(0, firstPage);
      ready = true;
      setState({
        key,
        // As `queryKey` is written for this key.
        queryKey: JSON.stringify([parsedQuery, parsedScope]),
        result: { status: 'ready', handle: opened, count, estimated, cache, version: 0 },
      });
    })().catch((error: unknown) => {
      if (!live) return;
      setState({ key, queryKey: '', result: { status: 'error', message: (error as Error).message } });
    });
    return () => {
      live = false;
      const close = (): void => {
        cache?.dispose();
        if (handle !== undefined) void call('query.close', handle).catch(() => undefined);
      };
      // A result on screen stays usable (its pages, its handle) until the next one replaces it.
      if (ready) retired.push(close);
      else close();
    };
  }, [key, retired]);
  // The results replaced are closed once their successor has been drawn (never while shown).
  useEffect(() => {
    for (const close of retired.splice(0)) close();
  }, [state, retired]);
  // Declared after the effect above, so its cleanup runs after theirs: on unmount, the result
  // on screen (retired by that cleanup) is closed too.
  useEffect(
    () => () => {
      for (const close of retired.splice(0)) close();
    },
    [retired],
  );

  return useMemo(() => {
    if (state.key !== key) {
      // New events for the same query: the rows shown stay until the refreshed result is here.
      if (state.queryKey === queryKey && state.result.status === 'ready')
        return { ...state.result, version, refreshing: true };
      return { status: 'loading' };
    }
    return state.result.status === 'ready' ? { ...state.result, version } : state.result;
  }, [state, key, queryKey, version]);
}
