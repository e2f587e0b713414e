import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { call, onMenuCommand, onPush, onReconnect } from '../lib/api.ts';
import { formatCount } from '../lib/format.ts';
import { queryOf } from '../stores/query-of.ts';
import { useWorkspace } from '../stores/workspace.ts';
import { FilterBar } from '../features/filter/FilterBar.tsx';
import { Histogram } from '../features/histogram/Histogram.tsx';
import { ActivityBreakdown } from '../features/breakdown/ActivityBreakdown.tsx';
import { LogTable } from '../features/logs/LogTable.tsx';
import { useResult } from '../features/logs/use-result.ts';
import { DetailPanel } from '../features/detail/DetailPanel.tsx';
import { useKeyboard } from './use-keyboard.ts';
import { useCaseStats } from './use-case-stats.ts';
import { useImports } from '../stores/imports.ts';
import { ImportButton } from '../features/import/ImportButton.tsx';
import { ImportPanel } from '../features/import/ImportPanel.tsx';
import { DropZone } from '../features/import/DropZone.tsx';
import { CaseMenu } from '../features/cases/CaseMenu.tsx';
import { Timeline } from '../features/timeline/Timeline.tsx';
import { Investigation } from '../features/investigation/Investigation.tsx';
import { ActorJourney } from '../features/actors/ActorJourney.tsx';
import { Detections } from '../features/detections/Detections.tsx';
import { SecurityDashboard } from '../features/dashboard/SecurityDashboard.tsx';
import { useAlertNotifications } from '../features/detections/use-alert-notifications.ts';
import { useLiveView } from '../features/live/use-live-view.ts';
import { LiveBar } from '../features/live/LiveBar.tsx';
import { FollowDialog } from '../features/live/FollowDialog.tsx';
import { useCase } from '../stores/case.ts';
import { ShortcutsDialog } from '../features/help/ShortcutsDialog.tsx';
import { ExportDialog } from '../features/export/ExportDialog.tsx';
import { SourcesDialog } from '../features/sources/SourcesDialog.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { DeleteDialog } from '../features/delete/DeleteDialog.tsx';
import { InPlaceBanner } from '../features/sources/InPlaceBanner.tsx';

/** The investigation workspace: filter bar, histogram and breakdown, the event table, details. */
export function App() {
  const theme = useWorkspace((s) => s.theme);
  const setTheme = useWorkspace((s) => s.setTheme);
  const searchFilter = useWorkspace((s) => s.searchFilter);
  const chips = useWorkspace((s) => s.chips);
  const pinnedSeqs = useWorkspace((s) => s.pinned?.seqs);
  const pinnedFilter = useWorkspace((s) => s.pinned?.filter);
  useAlertNotifications();
  const preset = useWorkspace((s) => s.preset);
  const customFrom = useWorkspace((s) => s.customFrom);
  const customTo = useWorkspace((s) => s.customTo);
  const order = useWorkspace((s) => s.order);
  const presetAnchor = useWorkspace((s) => s.presetAnchor);
  const view = useWorkspace((s) => s.view);
  const setView = useWorkspace((s) => s.setView);
  const remote = useWorkspace((s) => s.remote);
  const caseVersion = useImports((s) => s.dataVersion);
  // A table read in place is asked again when its search changes, not at each import into the case.
  const dataVersion = remote ? 0 : caseVersion;
  const casePath = useCase((s) => s.info?.path);
  const { stats, error: statsError } = useCaseStats(caseVersion);
  const [callError, setError] = useState<string | null>(null);
  const error = callError ?? statsError;
  const searchRef = useRef<HTMLInputElement>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const openHelp = useCallback(() => setHelpOpen(true), []);
  const closeHelp = useCallback(() => setHelpOpen(false), []);
  const [exportOpen, setExportOpen] = useState(false);
  /** The rows an export was asked for (undefined: the current search). */
  const [exportSeqs, setExportSeqs] = useState<number[] | undefined>();
  const closeExport = useCallback(() => {
    setExportOpen(false);
    setExportSeqs(undefined);
  }, []);
  const [sourcesOpen, setSourcesOpen] = useState(false);
  const closeSources = useCallback(() => setSourcesOpen(false), []);
  /** Delete events… open, with the rows it was asked for (an empty list: from the case menu). */
  const [deleteSeqs, setDeleteSeqs] = useState<number[] | undefined>();
  const closeDelete = useCallback(() => setDeleteSeqs(undefined), []);
  const selection = useMemo(
    () => ({
      onExport: (seqs: number[]) => {
        setExportSeqs(seqs);
        setExportOpen(true);
      },
      onDelete: (seqs: number[]) => setDeleteSeqs(seqs),
    }),
    [],
  );

  // The desktop app's View and Help menus (the File menu's commands go to the case menu and Import).
  useEffect(
    () =>
      onMenuCommand(({ command }) => {
        const workspace = useWorkspace.getState();
        if (command === 'view.logs') workspace.setView('logs');
        if (command === 'view.timeline') workspace.setView('timeline');
        if (command === 'view.investigation') workspace.setView('investigation');
        if (command === 'view.actors') workspace.setView('actors');
        if (command === 'view.detections') workspace.setView('detections');
        if (command === 'view.dashboard') workspace.setView('dashboard');
        if (command === 'theme.toggle') workspace.setTheme(workspace.theme === 'dark' ? 'light' : 'dark');
        if (command === 'help.shortcuts') setHelpOpen(true);
        // Exports are of the case: not offered while Logs reads a table in place.
        if (command === 'export.open' && !workspace.remote) setExportOpen(true);
        if (command === 'sources.open') setSourcesOpen(true);
        if (command === 'search.focus') {
          // The views without a search box send the search to Logs.
          if (workspace.view === 'dashboard' || workspace.view === 'detections') workspace.setView('logs');
          requestAnimationFrame(() => searchRef.current?.focus());
        }
      }),
    [],
  );

  useEffect(() => {
    // The engine names the case; a switch made anywhere (this page, another window) is pushed.
    const stop = onPush('case.switched', (info) => useCase.getState().switched(info));
    const askCase = (): void => {
      call('case.current').then(
        (info) => useCase.getState().switched(info),
        (e: Error) => setError(e.message),
      );
    };
    askCase();
    // Back from a dropped connection: the case may have changed meanwhile, and this page's
    // results were closed with the old connection, so every view asks again.
    const stopReconnect = onReconnect(() => {
      askCase();
      useImports.getState().requery();
    });
    return () => {
      stop();
      stopReconnect();
    };
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // "Last 24 hours" means the 24 hours before the preset was chosen, not a moving window.
  const query = useMemo(
    () =>
      queryOf(
        { searchFilter, chips, pinnedSeqs, pinnedFilter, preset, customFrom, customTo, order },
        presetAnchor,
      ),
    [searchFilter, chips, pinnedSeqs, pinnedFilter, preset, customFrom, customTo, order, presetAnchor],
  );
  const valueQuery = useMemo(
    () =>
      queryOf(
        { searchFilter: undefined, chips, pinnedSeqs, pinnedFilter, preset, customFrom, customTo, order },
        presetAnchor,
      ),
    [chips, pinnedSeqs, pinnedFilter, preset, customFrom, customTo, order, presetAnchor],
  );
  const result = useResult(query, dataVersion, remote?.scope);
  const { newEvents } = useLiveView(
    query,
    result.status === 'ready' ? result.count : undefined,
    // While the table is (re)asked, the live view waits for it before asking again.
    result.status !== 'loading' && !(result.status === 'ready' && result.refreshing),
    view === 'logs' && !remote,
  );
  const [followOpen, setFollowOpen] = useState(false);
  useKeyboard(searchRef, result.status === 'ready' && view === 'logs' ? result : undefined, openHelp);
  const handle = result.status === 'ready' ? result.handle : undefined;
  const currentHandle = useRef(handle);
  useEffect(() => {
    currentHandle.current = handle;
  }, [handle]);
  // The engine's reader answers in turn: the table's first page goes first, the charts after it.
  const tableSettled = result.status !== 'loading';
  // Stable across results (it reads the current handle when called), so the histogram is not
  // redrawn each time a filter changes the handle.
  const jumpTo = useCallback((time: number) => {
    const asked = currentHandle.current;
    if (asked === undefined) return;
    call('query.positionOf', asked, time).then(
      (position) => {
        // The filter may have changed while the engine answered: that position is another result's.
        if (currentHandle.current === asked) useWorkspace.getState().setCursor(position, 'start');
      },
      () => undefined,
    );
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="logo" aria-hidden>
            ◆
          </span>
          Auditscope
        </div>
        <nav className="app-nav" aria-label="Views">
          {(
            [
              ['logs', 'Logs'],
              ['timeline', 'Timeline'],
              ['investigation', 'Investigation'],
              ['actors', 'Actors'],
              ['detections', 'Detections'],
              ['dashboard', 'Dashboard'],
            ] as const
          ).map(([id, label]) => (
            <button
              key={id}
              type="button"
              className={`nav-item${view === id ? ' selected' : ''}`}
              aria-current={view === id ? 'page' : undefined}
              disabled={remote !== undefined && id !== 'logs'}
              title={
                remote !== undefined && id !== 'logs'
                  ? `${label} works over the case: pull the rows into the case, or go back to it`
                  : undefined
              }
              onClick={() => setView(id)}
            >
              {label}
            </button>
          ))}
        </nav>
        <CaseMenu
          onDeleteEvents={() =>
            remote
              ? useWorkspace
                  .getState()
                  .setNotice('A table read in place is never written to: nothing to delete')
              : setDeleteSeqs([])
          }
        />
        <div className="case-summary">
          {stats && (
            <>
              {formatCount(stats.events)} events · {stats.imports} imports
              {stats.rejects > 0 && ` · ${formatCount(stats.rejects)} rejected`}
              {!stats.ftsReady && ' · indexing text…'}
            </>
          )}
        </div>
        <ImportButton />
        <button
          type="button"
          className="header-button"
          title="Follow a log file as it is written"
          onClick={() => setFollowOpen(true)}
        >
          Follow…
        </button>
        <button type="button" className="header-button" onClick={() => setSourcesOpen(true)}>
          Connect…
        </button>
        <button
          type="button"
          className="header-button"
          disabled={remote !== undefined}
          title={remote ? 'Exports are of the case: pull the rows into the case first' : undefined}
          onClick={() => setExportOpen(true)}
        >
          Export…
        </button>
        <button
          type="button"
          className="icon-button"
          title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
          aria-label="Toggle theme"
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
        <button
          type="button"
          className="icon-button"
          title="Keyboard shortcuts and search syntax (?)"
          aria-label="Help"
          onClick={openHelp}
        >
          ?
        </button>
      </header>
      <ErrorNote message={error} />
      {/* Keyed by case: the search box's draft belongs to the case it was typed in. */}
      {/* The dashboard and the alerts cover periods of their own: the search does not apply there. */}
      {view !== 'dashboard' && view !== 'detections' && (
        <FilterBar key={casePath} searchRef={searchRef} valueQuery={valueQuery} />
      )}
      {view === 'timeline' ? (
        <Timeline query={query} dataVersion={dataVersion} />
      ) : view === 'investigation' ? (
        <Investigation dataVersion={dataVersion} />
      ) : view === 'actors' ? (
        <ActorJourney query={query} dataVersion={dataVersion} />
      ) : view === 'detections' ? (
        <Detections dataVersion={dataVersion} />
      ) : view === 'dashboard' ? (
        <SecurityDashboard dataVersion={dataVersion} />
      ) : (
        <>
          {remote && <InPlaceBanner remote={remote} query={query} />}
          <div className="overview">
            <Histogram query={query} dataVersion={dataVersion} enabled={tableSettled} onJump={jumpTo} />
            <ActivityBreakdown query={query} dataVersion={dataVersion} enabled={tableSettled} />
          </div>
          <LiveBar newEvents={newEvents} />
          <main className="workspace">
            <div className="table-area">
              {!remote && stats?.events === 0 && (
                <p className="empty-case">
                  This case has no events yet. Import audit logs with <strong>Import…</strong> or drop files
                  anywhere on this window.
                </p>
              )}
              {result.status === 'ready' ? (
                <LogTable result={result} selection={remote ? undefined : selection} />
              ) : result.status === 'error' ? (
                <p className="app-error" role="alert">
                  {result.message}
                </p>
              ) : (
                <p className="muted loading">Searching…</p>
              )}
            </div>
            <DetailPanel />
          </main>
        </>
      )}
      <ImportPanel />
      <DropZone />
      {helpOpen && <ShortcutsDialog onClose={closeHelp} />}
      {exportOpen && !remote && <ExportDialog query={query} seqs={exportSeqs} onClose={closeExport} />}
      {followOpen && <FollowDialog onClose={() => setFollowOpen(false)} />}
      {deleteSeqs && !remote && (
        <DeleteDialog
          query={query}
          seqs={deleteSeqs.length > 0 ? deleteSeqs : undefined}
          onClose={closeDelete}
        />
      )}
      {sourcesOpen && <SourcesDialog onClose={closeSources} />}
    </div>
  );
}
