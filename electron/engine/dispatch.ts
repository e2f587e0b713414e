import {
  contract,
  type CallArgs,
  type CallName,
  type CallOutcome,
  type EngineCallName,
  type PushName,
  type ShellCallName,
} from '../../shared/contract.ts';
import type { EventQuery } from '../../shared/domain/query.ts';
import type { CaseSession } from './case-session.ts';
import type { CaseHost } from './cases/case-host.ts';
import { isServerKind, type RemoteScope, type SourceMapping } from '../../shared/domain/source.ts';
import type { AnnotationChange } from '../../shared/domain/annotations.ts';
import type { HistoryEntry, SavedSearch } from '../../shared/domain/saved-search.ts';
import type { CaseNoteDraft } from '../../shared/domain/case-note.ts';
import type { DeletionTarget } from '../../shared/domain/deletion.ts';
import type { JourneyField } from '../../shared/domain/activity.ts';
import type { AlertDecision } from '../../shared/domain/alert.ts';
import type { DashboardQuery } from '../../shared/domain/dashboard.ts';
import type { TailStatus } from '../../shared/domain/tail.ts';
import type { DetectionSettings } from '../../shared/domain/detection-settings.ts';
import type { PasswordChange } from '../../shared/contract.ts';
import { MemorySecrets } from './sources/secrets.ts';
import { verifyCase } from './cases/verify-case.ts';
import { chromiumPdfPrinter, type PdfPrinter } from './report/pdf-printer.ts';
import { SourceRegistry, type SourceDraft } from './sources/source-registry.ts';
import { RemoteResults } from './sources/remote-results.ts';
import { serverSearch } from './sources/browse-table.ts';

type CallImplementation = (...args: never[]) => Promise<unknown>;
/** Every engine call, and the desktop shell's calls where a shell provides them. */
export type Implementation = { [C in EngineCallName]: CallImplementation } & {
  [C in ShellCallName]?: CallImplementation;
};

/**
 * Binds every contract call to the host's open case, looked up at call time: after "Open case"
 * the same transport serves the new case. Calls made during a switch wait for it to finish.
 */
export function implementContract(
  host: CaseHost,
  // Where none is given (tests, one-off tools), sources live in memory for the session.
  sources: SourceRegistry = new SourceRegistry(undefined, new MemorySecrets()),
  shell: {
    /** PDF reports print with a Chromium found on the machine unless the host has its own (Electron). */
    printPdf?: PdfPrinter;
    /** Rule folders `alerts.list` evaluates (the bundled rules, the user's own). */
    ruleFolders?: readonly string[];
  } = {},
): Implementation {
  const printPdf = shell.printPdf ?? chromiumPdfPrinter;
  // The reader's `call` is a proxy that answers any property, `then` included: it must never be
  // the resolved value of a promise, so calls are made inside these helpers instead.
  type Read = CaseSession['read'];
  const read = async <T>(use: (reader: Read) => Promise<T>): Promise<T> => use((await host.ready()).read);
  const session = () => host.ready();
  const remote = new RemoteResults(sources);
  return {
    'case.current': async () => {
      await host.ready();
      return host.info();
    },
    'case.recent': async () => host.recent(),
    'case.open': (file: string) => host.open(file),
    'case.create': (file: string) => host.create(file),
    'case.forget': async (file: string) => host.forget(file),
    'case.stats': () => read((r) => r.stats()),
    'case.counts': () => read((r) => r.counts()),
    'case.verify': async () => verifyCase((await session()).path),
    'case.journal': (start: number, limit: number) => read((r) => r.journal(start, limit)),
    'case.imports': () => read((r) => r.imports()),
    'case.rejects': (importId: number | undefined, start: number, limit: number) =>
      read((r) => r.rejects(importId, start, limit)),
    'import.files': async (paths: string[], options: { jobId?: string; casePath?: string }) => {
      const open = await session();
      // An upload can outlast a case switch (another tab, another window): its files belong to
      // the case it was started in, never to whichever case is open when it finishes.
      const current = host.info().path;
      if (options.casePath !== undefined && options.casePath !== current) {
        throw new Error(`another case was opened since this import began (${current}); nothing was imported`);
      }
      // Events from now on may raise notifications; what was there before never does.
      await open.watchAlerts(shell.ruleFolders ?? []);
      const summary = await open.import(paths, { jobId: options.jobId });
      // Pushed as `alerts.raised` when it has anything to say; never holds up the import's answer.
      open.raiseNewAlerts().catch(() => undefined);
      return summary;
    },
    'import.cancel': async (jobId: string) => (await session()).cancelImport(jobId),
    // A scope sends a query to the table read in place; its handles (`s…`) are answered here.
    'query.open': async (query: EventQuery, scope?: RemoteScope | null) =>
      scope ? remote.open(query, scope) : read((r) => r.openResult(query)),
    'query.count': (handle: string) =>
      RemoteResults.owns(handle) ? remote.count(handle) : read((r) => r.count(handle)),
    'query.estimated': async (handle: string) => RemoteResults.owns(handle) && remote.estimated(handle),
    'query.rows': (handle: string, start: number, limit: number) =>
      RemoteResults.owns(handle)
        ? remote.rows(handle, start, limit)
        : read((r) => r.rows(handle, start, limit)),
    'query.close': async (handle: string) =>
      RemoteResults.owns(handle) ? remote.close(handle) : read((r) => r.closeResult(handle)),
    'query.positionOf': (handle: string, time: number) =>
      RemoteResults.owns(handle) ? remote.positionOf(handle, time) : read((r) => r.positionOf(handle, time)),
    // On the aggregate thread: side panels never queue ahead of the table's pages.
    'query.total': async (query: EventQuery) => (await session()).aggregate.total(query),
    'query.histogram': async (
      query: EventQuery,
      options: CallArgs<'query.histogram'>[1],
      scope?: RemoteScope | null,
    ) => (scope ? remote.histogram(query, scope) : (await session()).aggregate.histogram(query, options)),
    'query.topValues': async (query: EventQuery, field: string, limit: number, scope?: RemoteScope | null) =>
      scope
        ? remote.topValues(query, scope, field, limit)
        : (await session()).aggregate.topValues(query, field, limit),
    'query.lanes': async (query: EventQuery, field: string, options: CallArgs<'query.lanes'>[2]) =>
      (await session()).aggregate.lanes(query, field, options),
    'query.activity': async (
      query: EventQuery,
      field: JourneyField,
      options: CallArgs<'query.activity'>[2],
    ) => (await session()).aggregate.activity(query, field, options),
    'query.journey': async (
      query: EventQuery,
      field: JourneyField,
      values: string[],
      options: CallArgs<'query.journey'>[3],
    ) => (await session()).aggregate.journey(query, field, values, options),
    'event.get': async (seq: number) => (seq < 0 ? remote.event(seq) : read((r) => r.event(seq))),
    'event.annotate': async (seqs: number[], change: AnnotationChange) =>
      (await session()).annotate(seqs, change),
    // On the aggregate thread too: the marks of rows on screen never delay the table's next page.
    'event.marks': async (seqs: number[]) => (await session()).aggregate.marks(seqs),
    'tag.list': async () => (await session()).aggregate.tags(),
    'alerts.list': async () => (await session()).alerts(shell.ruleFolders ?? []),
    'alerts.decide': async (decision: AlertDecision) => (await session()).decideAlert(decision),
    'alerts.suppress': async (suppression: CallArgs<'alerts.suppress'>[0]) =>
      (await session()).suppressAlerts(suppression),
    'alerts.unsuppress': async (target: CallArgs<'alerts.unsuppress'>[0]) =>
      (await session()).unsuppressAlerts(target),
    'tail.follow': async (request: { path: string; fromStart: boolean }) =>
      (await session()).followFile(request.path, {
        fromStart: request.fromStart,
        ruleFolders: shell.ruleFolders ?? [],
      }),
    'tail.followTable': async (
      id: string,
      table: string,
      mapping: SourceMapping,
      options: CallArgs<'tail.followTable'>[3],
    ) => {
      const source = sources.connector(id);
      // A tail reads by a timestamp cursor bound as an instant: PostgreSQL and MySQL compare it
      // as one; SQLite would compare text with text (and miss rows), so its files are pulled instead.
      if (!isServerKind(source.kind))
        throw new Error(
          'following a table live needs a PostgreSQL or MySQL source: pull from an SQLite file instead',
        );
      return (await session()).followTable(source, table, mapping, {
        fromStart: options.fromStart,
        ruleFolders: shell.ruleFolders ?? [],
        ...(options.wakeChannel ? { wakeChannel: options.wakeChannel } : {}),
      });
    },
    'tail.stop': async (name: string) => (await session()).stopFollowing(name),
    'tail.list': async () => (await session()).followed(),
    'dashboard.summary': async (query: DashboardQuery) => (await session()).aggregate.dashboard(query),
    'detection.settings': async () => (await session()).aggregate.detectionSettings(),
    'detection.setSettings': async (settings: DetectionSettings) =>
      (await session()).setDetectionSettings(settings),
    'search.list': async () => (await session()).aggregate.savedSearches(),
    'search.save': async (search: Omit<SavedSearch, 'savedAt'>) => (await session()).saveSearch(search),
    'search.delete': async (name: string) => (await session()).deleteSearch(name),
    'search.history': async () => (await session()).aggregate.searchHistory(),
    'search.record': async (entry: Omit<HistoryEntry, 'usedAt'>) => (await session()).recordSearch(entry),
    'note.list': async () => (await session()).aggregate.caseNotes(),
    'note.save': async (draft: CaseNoteDraft) => (await session()).saveNote(draft),
    'note.delete': async (id: number) => (await session()).deleteNote(id),
    'events.delete': async (target: DeletionTarget) => (await session()).deleteEvents(target),
    'export.start': async (query: EventQuery, job: CallArgs<'export.start'>[1]) =>
      (await session()).exportEvents(query, {
        file: job.path,
        format: job.format,
        bom: job.bom,
        jobId: job.jobId,
        template: job.template,
        printPdf,
      }),
    'export.cancel': async (jobId: string) => (await session()).cancelExport(jobId),
    'source.list': async () => sources.list(),
    'source.save': async (draft: SourceDraft, change: PasswordChange) =>
      sources.save(
        draft,
        change.action === 'keep' ? undefined : change.action === 'set' ? change.password : null,
      ),
    'source.remove': async (id: string) => {
      sources.remove(id);
      // Rows read from it are not kept for the detail panel any longer.
      remote.forget(id);
    },
    'source.inspect': (id: string, table: string | null) => sources.inspect(id, table ?? undefined),
    'source.preview': (id: string, table: string, mapping: SourceMapping) =>
      sources.preview(id, table, mapping),
    'source.browse': (
      id: string,
      table: string,
      mapping: SourceMapping,
      request: CallArgs<'source.browse'>[3],
    ) => sources.browse(id, table, mapping, request),
    'source.count': (
      id: string,
      table: string,
      mapping: SourceMapping,
      request: CallArgs<'source.count'>[3],
    ) => sources.count(id, table, serverSearch(request, mapping)),
    'source.histogram': (
      id: string,
      table: string,
      mapping: SourceMapping,
      request: CallArgs<'source.histogram'>[3],
    ) => sources.histogram(id, table, serverSearch(request, mapping)),
    'source.topValues': (
      id: string,
      table: string,
      mapping: SourceMapping,
      request: CallArgs<'source.topValues'>[3],
      field: string,
      limit: number,
    ) => sources.topValues(id, table, serverSearch(request, mapping), field, limit),
    'source.cancel': (id: string) => sources.cancel(id),
    'source.pull': async (
      id: string,
      table: string,
      mapping: SourceMapping,
      options: CallArgs<'source.pull'>[3],
    ) => sources.pull(await session(), id, table, mapping, options),
  };
}

/**
 * The engine side of every transport: the call name must be in the contract and the arguments
 * must pass its schema before anything runs. Untrusted callers get errors as data, never throws.
 */
export async function dispatch(
  implementation: Implementation,
  call: unknown,
  args: unknown,
): Promise<CallOutcome<unknown>> {
  if (typeof call !== 'string' || !Object.hasOwn(contract, call)) {
    return {
      ok: false,
      error: { code: 'unknown-call', message: `unknown call ${String(call).slice(0, 64)}` },
    };
  }
  const name = call as CallName;
  const parsed = contract[name].input.safeParse(args);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'invalid-arguments',
        message: `${name}: ${parsed.error.issues[0]?.message ?? 'invalid arguments'}`,
      },
    };
  }
  const run = implementation[name] as ((...values: unknown[]) => Promise<unknown>) | undefined;
  if (run === undefined) {
    return { ok: false, error: { code: 'unsupported', message: `${name} exists in the desktop app only` } };
  }
  try {
    return { ok: true, value: await run(...(parsed.data as unknown[])) };
  } catch (error) {
    return { ok: false, error: { code: 'failed', message: (error as Error).message } };
  }
}

/**
 * Sends the open case's pushes through a transport, following the host from case to case, and
 * tells the UI when the case changes. Returns the unsubscribe.
 */
export function forwardPushes(host: CaseHost, emit: (push: PushName, payload: unknown) => void): () => void {
  let stopSession = followSession(host.current, emit);
  const stopSwitch = host.onSwitch((info) => {
    stopSession();
    stopSession = followSession(host.current, emit);
    emit('case.switched', info);
  });
  return () => {
    stopSwitch();
    stopSession();
  };
}

function followSession(session: CaseSession, emit: (push: PushName, payload: unknown) => void): () => void {
  const stops = [
    session.onImportProgress((progress) => emit('import.progress', progress)),
    session.onFtsProgress((status) => emit('fts.progress', status)),
    session.onExportProgress((progress) => emit('export.progress', progress)),
    session.onAlertsRaised((alerts) => emit('alerts.raised', alerts)),
    session.onTailStatus(throttledTailStatus((status) => emit('tail.status', status))),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}

/**
 * Tail statuses reach the page at most every 250 ms per file, the latest one winning; a change
 * of state (stopped, failed…) goes at once.
 */
function throttledTailStatus(emit: (status: TailStatus) => void): (status: TailStatus) => void {
  const last = new Map<
    string,
    { at: number; state: string; pending?: NodeJS.Timeout; latest?: TailStatus }
  >();
  return (status) => {
    const seen = last.get(status.path);
    const now = Date.now();
    if (!seen || seen.state !== status.state || now - seen.at >= 250) {
      clearTimeout(seen?.pending);
      last.set(status.path, { at: now, state: status.state });
      emit(status);
      return;
    }
    seen.latest = status;
    seen.pending ??= setTimeout(
      () => {
        seen.pending = undefined;
        seen.at = Date.now();
        if (seen.latest) emit(seen.latest);
      },
      250 - (now - seen.at),
    );
  };
}
