import { randomUUID } from 'node:crypto';
// Loaded here too, though only the worker threads use it: an addon loaded by worker threads
// alone is unloaded when the last of them exits, and a worker that exits with statements still
// awaiting garbage collection can then crash the whole process (better-sqlite3 issue #1476, seen
// once as a SIGSEGV in CI). Held by the thread that owns the case, it stays loaded.
import 'better-sqlite3';
import { WorkerClient, workerEntry, type Methods, type Notice } from './workers/rpc.ts';
import type { ReaderMethods } from './workers/reader-methods.ts';
import { expandInputs } from './ingest/expand-inputs.ts';
import type { ContainerInfo } from './ingest/record-stream.ts';
import type { FormatId } from './ingest/types.ts';
import type { ImportFileOptions } from './workers/import-runner.ts';
import type { ImportFileResult, ImportProgress, ImportSummary } from '../../shared/domain/import.ts';
import type { ExportFormat, ExportProgress, ExportSummary } from '../../shared/domain/export.ts';
import type { EventQuery } from '../../shared/domain/query.ts';
import type { JournalEntry } from '../../shared/domain/journal.ts';
import type { AnnotationChange } from '../../shared/domain/annotations.ts';
import type { HistoryEntry, SavedSearch } from '../../shared/domain/saved-search.ts';
import type { CaseNote, CaseNoteDraft } from '../../shared/domain/case-note.ts';
import type { DeletionSummary, DeletionTarget } from '../../shared/domain/deletion.ts';
import { exportToFile } from './export/export-events.ts';
import { exportReport } from './report/export-report.ts';
import type { ReportReader } from './report/report-data.ts';
import { chromiumPdfPrinter, type PdfPrinter } from './report/pdf-printer.ts';
import { isReportFormat } from '../../shared/domain/export.ts';
import type { ReportTemplateId } from '../../shared/domain/report.ts';
import { AUDITSCOPE_VERSION } from './version.ts';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { FileTail, type TailStatus } from './tail/tail-file.ts';
import { lastStoredTime, TableTail, tailStatusOf } from './tail/table-tail.ts';
import type { TableReader } from './sources/table-reader.ts';
import type { SourceMapping } from '../../shared/domain/source.ts';
import { loadRuleFolder, type LoadedRules } from './detect/run-rules.ts';
import { builtInRules } from '../../shared/domain/detection-settings.ts';
import type {
  AlertNotice,
  AlertDecision,
  AlertEntity,
  AlertState,
  AlertSuppression,
  AlertsReport,
} from '../../shared/domain/alert.ts';
import type { DetectionSettings } from '../../shared/domain/detection-settings.ts';

/** The rules of several folders; folders that do not exist are skipped. */
async function loadRuleFolders(folders: readonly string[]): Promise<LoadedRules> {
  const loaded: LoadedRules = { rules: [], alertRules: [], unsupported: [] };
  for (const folder of folders) {
    if (!existsSync(folder)) continue;
    const found = await loadRuleFolder(folder);
    loaded.rules.push(...found.rules);
    loaded.alertRules.push(...found.alertRules);
    loaded.unsupported.push(...found.unsupported);
  }
  return loaded;
}

/** Who decided: the account the app runs as (journaled with every alert decision). */
function analystName(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

type Writer = Methods & {
  open(path: string): { ftsReady: boolean };
  importFile(path: string, options: ImportFileOptions): ImportFileResult;
  cancel(jobId: string): boolean;
  ftsStatus(): { indexedThrough: number; lastRowid: number; ready: boolean };
  journal(action: string, detail: Record<string, unknown>): JournalEntry;
  annotate(seqs: number[], change: AnnotationChange): { events: number };
  saveSearch(search: Omit<SavedSearch, 'savedAt'>): SavedSearch;
  deleteSearch(name: string): void;
  recordSearch(entry: Omit<HistoryEntry, 'usedAt'>): void;
  saveNote(draft: CaseNoteDraft): CaseNote;
  deleteNote(id: number): void;
  deleteEvents(target: DeletionTarget): DeletionSummary;
  decideAlert(decision: AlertDecision, analyst: string): AlertState;
  suppressAlerts(
    suppression: { ruleId: string; entity: AlertEntity; note: string },
    analyst: string,
  ): AlertSuppression;
  unsuppressAlerts(target: { ruleId: string; entity: AlertEntity }, analyst: string): void;
  setDetectionSettings(settings: DetectionSettings): DetectionSettings;
  indexAll(): number;
  close(): void;
};
type Reader = Methods & ReaderMethods;

/**
 * The writer only ever holds a couple of batches: a bounded young generation makes V8 collect them
 * early instead of letting the heap (and the process RSS) grow to its defaults.
 */
const WRITER_LIMITS = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 48 };

export interface ImportOptions {
  format?: FormatId;
  /**
   * The input's layout, when known already: a followed file's batches after the first are read
   * as the file is (a batch that starts with a warning or a stack trace is not sniffed as
   * something else: those lines are counted rejects).
   */
  container?: ContainerInfo;
  mapping?: Record<string, string>;
  maxRecordBytes?: number;
  jobId?: string;
  onProgress?: (progress: ImportProgress) => void;
  /**
   * A followed file's or table's batch (tail-file.ts, table-tail.ts): it does not hold the case
   * open (the tail stops with the case), leaves WAL checkpoints to SQLite — one after each
   * batch, every second, doubled a tail's lag — and commits without waiting for the disk: a batch
   * a power cut took is imported again from its spool file, or read again from the table
   * (withoutWaitingForDisk).
   */
  tailBatch?: boolean;
}

/** How a table is followed: from its start or from now, the rules to check, a NOTIFY channel. */
export interface TableFollowOptions {
  fromStart: boolean;
  ruleFolders: readonly string[];
  /** PostgreSQL: the channel the application NOTIFYs when it writes (a hint to poll at once). */
  wakeChannel?: string;
}

/**
 * An open case: the engine's entry point. Writes go to one writer thread, reads to reader
 * threads (one for pages and counts, one for aggregates, one for the rules watching new events),
 * so the caller's thread (Electron main, the CLI, the serve transport) never blocks.
 */
export class CaseSession {
  readonly path: string;
  readonly read: WorkerClient<Reader>['call'];
  private readonly writerClient: WorkerClient<Writer> | undefined;
  /**
   * Histograms and top values, on a reader thread of their own: they can scan a million rows, and
   * the table's pages must never queue behind them.
   */
  readonly aggregate: WorkerClient<Reader>['call'];
  private readonly reader: WorkerClient<Reader>;
  private readonly aggregateReader: WorkerClient<Reader>;
  /**
   * The rules watching new events (LiveAlerts), on a reader thread of their own, started by the
   * first watch: their first look reads the whole case (seconds on a million events), as does a
   * rule given an event too late to place, and histograms and field statistics on the aggregate
   * thread must not queue behind that.
   */
  private rulesReader: Promise<WorkerClient<Reader>> | undefined;
  private readonly progressListeners = new Set<(progress: ImportProgress) => void>();
  private readonly ftsListeners = new Set<
    (status: { indexedThrough: number; lastRowid: number; ready: boolean }) => void
  >();
  private readonly exportListeners = new Set<(progress: ExportProgress) => void>();
  private readonly alertListeners = new Set<(alerts: AlertNotice[]) => void>();
  /** Files (by absolute path) and tables (by `<source> · <table>`) followed into this case. */
  private readonly tails = new Map<string, FileTail | TableTail>();
  private readonly tailListeners = new Set<(status: TailStatus) => void>();
  /** The rules' check of new events under way, and whether another is wanted after it. */
  private alertCheck: Promise<unknown> | undefined;
  private alertCheckAgain = false;
  private readonly starting = new Map<string, Promise<TailStatus>>();
  private readonly exports = new Map<string, AbortController>();
  private readonly cancelled = new Set<string>();
  private readonly running = new Set<string>();

  private constructor(path: string, readOnly: boolean) {
    this.path = path;
    const onNotice = (notice: Notice): void => {
      if (notice.notice === 'import-progress')
        for (const l of this.progressListeners) l(notice.payload as ImportProgress);
      if (notice.notice === 'fts-progress') for (const l of this.ftsListeners) l(notice.payload as never);
    };
    this.writerClient = readOnly
      ? undefined
      : new WorkerClient<Writer>(workerEntry('writer-worker'), { resourceLimits: WRITER_LIMITS }, onNotice);
    this.reader = new WorkerClient<Reader>(workerEntry('reader-worker'), {});
    this.read = this.reader.call;
    this.aggregateReader = new WorkerClient<Reader>(workerEntry('reader-worker'), {});
    this.aggregate = this.aggregateReader.call;
  }

  /**
   * Opens or creates the case file at `path`. `readOnly` starts no writer: for queries beside a
   * process that may be importing into the same case.
   */
  static async open(path: string, options: { readOnly?: boolean } = {}): Promise<CaseSession> {
    const session = new CaseSession(path, options.readOnly ?? false);
    try {
      if (session.writerClient) await session.writerClient.call.open(path);
      await Promise.all([session.reader.call.open(path), session.aggregateReader.call.open(path)]);
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  onImportProgress(listener: (progress: ImportProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  onExportProgress(listener: (progress: ExportProgress) => void): () => void {
    this.exportListeners.add(listener);
    return () => this.exportListeners.delete(listener);
  }

  /**
   * Writes every event of `query` to `file` (see exportToFile), or a report of them (html, pdf:
   * see report/), on the aggregate thread so the table keeps paging meanwhile. Cancel with
   * `cancelExport(jobId)`. The result is journaled with its SHA-256.
   */
  async exportEvents(
    query: EventQuery,
    job: {
      file: string;
      format: ExportFormat;
      bom?: boolean;
      jobId?: string;
      template?: ReportTemplateId;
      title?: string;
      printPdf?: PdfPrinter;
    },
  ): Promise<ExportSummary> {
    const jobId = job.jobId ?? randomUUID();
    if (this.exports.has(jobId)) throw new Error(`export ${jobId} is already running`);
    const abort = new AbortController();
    this.exports.set(jobId, abort);
    const format = job.format;
    try {
      const summary = isReportFormat(format)
        ? await exportReport(this.aggregate as unknown as ReportReader, this.path, query, {
            file: job.file,
            format,
            template: job.template ?? 'case',
            title: job.title,
            version: AUDITSCOPE_VERSION,
            printPdf: job.printPdf ?? chromiumPdfPrinter,
            signal: abort.signal,
          })
        : await exportToFile(this.aggregate, query, {
            file: job.file,
            format,
            bom: job.bom,
            signal: abort.signal,
            onProgress: (progress) => {
              for (const listener of this.exportListeners) listener({ jobId, ...progress });
            },
          });
      if (this.writerClient)
        await this.journal(isReportFormat(format) ? 'report' : 'export', { ...summary, query });
      return summary;
    } finally {
      this.exports.delete(jobId);
    }
  }

  /** Stops a running export after its current page; its partial file is removed. */
  cancelExport(jobId: string): void {
    this.exports.get(jobId)?.abort();
  }

  /** What keeps the case from being switched away from: an import or an export running in it. */
  get busy(): string | undefined {
    if (this.running.size > 0) return 'an import is running in this case: let it finish or cancel it first';
    if (this.exports.size > 0) return 'an export is running in this case: let it finish or cancel it first';
    return undefined;
  }

  onFtsProgress(
    listener: (status: { indexedThrough: number; lastRowid: number; ready: boolean }) => void,
  ): () => void {
    this.ftsListeners.add(listener);
    return () => this.ftsListeners.delete(listener);
  }

  /** Imports files and folders, one file after another; every file ends with a result. */
  async import(inputs: string[], options: ImportOptions = {}): Promise<ImportSummary> {
    const started = Date.now();
    const jobId = options.jobId ?? randomUUID();
    // Running from the first moment, folder listing included: the case cannot be closed or
    // switched away from under it.
    if (!options.tailBatch) this.running.add(jobId);
    const unsubscribe = options.onProgress ? this.onImportProgress(options.onProgress) : undefined;
    const results: ImportFileResult[] = [];
    try {
      const files = await expandInputs(inputs);
      for (const file of files) {
        if (this.cancelled.has(jobId)) break;
        results.push(
          await this.writer.call.importFile(file, {
            jobId,
            format: options.format,
            container: options.container,
            mapping: options.mapping,
            maxRecordBytes: options.maxRecordBytes,
            tailBatch: options.tailBatch,
          }),
        );
      }
    } finally {
      unsubscribe?.();
      this.running.delete(jobId);
      this.cancelled.delete(jobId);
    }
    const elapsedMs = Date.now() - started;
    const sum = (pick: (r: ImportFileResult) => number): number =>
      results.reduce((total, r) => total + pick(r), 0);
    const accepted = sum((r) => r.accepted);
    return {
      files: results,
      totals: {
        accepted,
        duplicates: sum((r) => r.duplicates),
        rejected: sum((r) => r.rejected),
        bytes: sum((r) => r.size ?? 0),
        failedFiles: results.filter((r) => r.status !== 'complete').length,
      },
      elapsedMs,
      eventsPerSecond:
        elapsedMs > 0 ? Math.round((accepted + sum((r) => r.duplicates)) / (elapsedMs / 1000)) : 0,
    };
  }

  /** Stops a running import after its current batch; unknown or finished jobs are ignored. */
  async cancelImport(jobId: string): Promise<void> {
    if (!this.running.has(jobId)) return;
    this.cancelled.add(jobId);
    await this.writer.call.cancel(jobId);
  }

  ftsStatus(): Promise<{ indexedThrough: number; lastRowid: number; ready: boolean }> {
    return this.writer.call.ftsStatus();
  }

  /** Stars, tags or notes events (one change, journaled with the events' ids). */
  annotate(seqs: number[], change: AnnotationChange): Promise<{ events: number }> {
    return this.writer.call.annotate(seqs, change);
  }

  /** Saves (or replaces, by name) a search with the case. */
  saveSearch(search: Omit<SavedSearch, 'savedAt'>): Promise<SavedSearch> {
    return this.writer.call.saveSearch(search);
  }

  deleteSearch(name: string): Promise<void> {
    return this.writer.call.deleteSearch(name);
  }

  /** Remembers a search that was run, for the search history. */
  recordSearch(entry: Omit<HistoryEntry, 'usedAt'>): Promise<void> {
    return this.writer.call.recordSearch(entry);
  }

  /** Adds or edits a note of the case's own, journaled. */
  saveNote(draft: CaseNoteDraft): Promise<CaseNote> {
    return this.writer.call.saveNote(draft);
  }

  deleteNote(id: number): Promise<void> {
    return this.writer.call.deleteNote(id);
  }

  /**
   * Removes events from the case, journaled; refused while an import or export runs (it would
   * count, or write, events that are going away).
   */
  async deleteEvents(target: DeletionTarget): Promise<DeletionSummary> {
    const busy = this.busy;
    if (busy) throw new Error(busy);
    return this.writer.call.deleteEvents(target);
  }

  /** Appends an entry to the case journal (what happens outside the writer: exports, pulls). */
  journal(action: string, detail: Record<string, unknown>): Promise<JournalEntry> {
    return this.writer.call.journal(action, detail);
  }

  /**
   * The alerts of the case: the built-in rules at the case's thresholds and the rules of these
   * folders (Sigma and Auditscope's own), on the aggregate thread (the table keeps paging), with
   * the analysts' decisions. Folders that do not exist are skipped; rules that cannot be
   * evaluated are reported.
   */
  async alerts(folders: readonly string[]): Promise<AlertsReport> {
    return this.aggregate.alerts(await loadRuleFolders(folders));
  }

  /**
   * Watches every rule (built-in at the case's thresholds, the folders' own and Sigma rules) so
   * that the events added from now on can raise notifications.
   */
  async watchAlerts(folders: readonly string[]): Promise<void> {
    const loaded = await loadRuleFolders(folders);
    const settings = await this.aggregate.detectionSettings();
    const rules = await this.rulesThread();
    await rules.call.watchAlerts([...builtInRules(settings), ...loaded.alertRules], {
      rules: loaded.rules,
      unsupported: loaded.unsupported,
    });
  }

  /**
   * Checks the rules over the events stored since the last check, one check at a time: batches
   * stored meanwhile (a tail catching up stores one after another) are checked together by one
   * more check after it, rather than queueing a check each on the aggregate thread.
   */
  private checkNewAlerts(): void {
    if (this.alertCheck) {
      this.alertCheckAgain = true;
      return;
    }
    this.alertCheck = this.raiseNewAlerts()
      .catch(() => undefined)
      .finally(() => {
        this.alertCheck = undefined;
        if (!this.alertCheckAgain) return;
        this.alertCheckAgain = false;
        this.checkNewAlerts();
      });
  }

  /** Tells the listeners which alerts the events added since the last look raised or grew. */
  async raiseNewAlerts(): Promise<AlertNotice[]> {
    // Nothing watched yet: nothing to say.
    if (!this.rulesReader) return [];
    const alerts = await (await this.rulesReader).call.newAlerts();
    if (alerts.length > 0) for (const listener of this.alertListeners) listener(alerts);
    return alerts;
  }

  onAlertsRaised(listener: (alerts: AlertNotice[]) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  /**
   * Follows a log file into this case (tail -F; see tail-file.ts). Every batch stored is checked
   * against the rules of these folders: alerts it raises go to `onAlertsRaised`. Following a file
   * already followed answers its status.
   */
  async followFile(
    file: string,
    options: { fromStart: boolean; ruleFolders: readonly string[] },
  ): Promise<TailStatus> {
    const key = path.resolve(file);
    return this.startingOnce(key, () => this.startFileTail(key, options));
  }

  /** The files this case imported completely (absolute paths): a tail's stored batches. */
  async importedPaths(): Promise<Set<string>> {
    const imports = await this.read.imports();
    return new Set(imports.filter((i) => i.status === 'complete').map((i) => path.resolve(i.path)));
  }

  /** Two quick "Follow" of one file or table start one tail: the second waits for the first. */
  private async startingOnce(key: string, start: () => Promise<TailStatus>): Promise<TailStatus> {
    const pending = this.starting.get(key);
    if (pending) return pending;
    const started = start().finally(() => this.starting.delete(key));
    this.starting.set(key, started);
    return started;
  }

  private async startFileTail(
    key: string,
    options: { fromStart: boolean; ruleFolders: readonly string[] },
  ): Promise<TailStatus> {
    const existing = this.tails.get(key);
    if (
      existing instanceof FileTail &&
      existing.status.state !== 'stopped' &&
      existing.status.state !== 'failed'
    )
      return { ...existing.status };
    await this.watchAlerts(options.ruleFolders);
    const tail = await FileTail.start(this, key, { fromEnd: !options.fromStart });
    this.tails.set(key, tail);
    tail.onUpdate((status, batch) => {
      for (const listener of this.tailListeners) listener(status);
      if (batch) this.checkNewAlerts();
    });
    return { ...tail.status };
  }

  /**
   * Follows a database table into this case (see table-tail.ts): its rows as events, stored as
   * they are committed, checked against the rules like any batch.
   */
  async followTable(
    source: { name: string; connect: () => Promise<TableReader> },
    table: string,
    mapping: SourceMapping,
    options: TableFollowOptions,
  ): Promise<TailStatus> {
    const label = `${source.name} · ${table}`;
    return this.startingOnce(label, () => this.startTableTail(label, source, table, mapping, options));
  }

  private async startTableTail(
    label: string,
    source: { name: string; connect: () => Promise<TableReader> },
    table: string,
    mapping: SourceMapping,
    options: TableFollowOptions,
  ): Promise<TailStatus> {
    const existing = this.tails.get(label);
    if (existing instanceof TableTail && existing.status.state !== 'stopped') return tailStatusOf(existing);
    await this.watchAlerts(options.ruleFolders);
    const tail = new TableTail(this, {
      label,
      connect: source.connect,
      table,
      mapping,
      ...(options.wakeChannel ? { wakeChannel: options.wakeChannel } : {}),
      // From the start, or after what an earlier tail of this table stored here, or from now.
      ...(options.fromStart
        ? { from: '1970-01-01T00:00:00Z' }
        : withDefined(
            'from',
            mapping.time && lastStoredTime(this.path, label, mapping.time, await this.importedPaths()),
          )),
    });
    this.tails.set(label, tail);
    let stored = 0;
    tail.onUpdate((status) => {
      for (const listener of this.tailListeners) listener(tailStatusOf(tail, status));
      if (status.events > stored) this.checkNewAlerts();
      stored = status.events;
    });
    tail.start();
    return tailStatusOf(tail);
  }

  async stopFollowing(name: string): Promise<TailStatus> {
    const tail = this.tails.get(name) ?? this.tails.get(path.resolve(name));
    if (!tail) throw new Error(`${name} is not being followed`);
    if (tail instanceof TableTail) return tailStatusOf(tail, await tail.stop());
    return tail.stop();
  }

  /** Every file and table followed into this case since it opened, with its state. */
  followed(): TailStatus[] {
    return [...this.tails.values()].map((t) => (t instanceof TableTail ? tailStatusOf(t) : { ...t.status }));
  }

  /** Stops every tail (what was read is stored first): before the case closes or is switched. */
  async stopTails(): Promise<void> {
    await Promise.allSettled([...this.tails.values()].map(async (t) => t.stop()));
  }

  onTailStatus(listener: (status: TailStatus) => void): () => void {
    this.tailListeners.add(listener);
    return () => this.tailListeners.delete(listener);
  }

  /** Acknowledges, resolves or reopens an alert with a note: journaled with the analyst. */
  decideAlert(decision: AlertDecision): Promise<AlertState> {
    return this.writer.call.decideAlert(decision, analystName());
  }

  suppressAlerts(suppression: {
    ruleId: string;
    entity: AlertEntity;
    note: string;
  }): Promise<AlertSuppression> {
    return this.writer.call.suppressAlerts(suppression, analystName());
  }

  unsuppressAlerts(target: { ruleId: string; entity: AlertEntity }): Promise<void> {
    return this.writer.call.unsuppressAlerts(target, analystName());
  }

  /** Changes the built-in rules' thresholds for this case, journaled. */
  setDetectionSettings(settings: DetectionSettings): Promise<DetectionSettings> {
    return this.writer.call.setDetectionSettings(settings);
  }

  /** Finishes the free-text index now instead of in the background. */
  buildFreeTextIndex(): Promise<number> {
    return this.writer.call.indexAll();
  }

  private rulesThread(): Promise<WorkerClient<Reader>> {
    this.rulesReader ??= (async () => {
      const client = new WorkerClient<Reader>(workerEntry('reader-worker'), {});
      try {
        await client.call.open(this.path);
        return client;
      } catch (error) {
        this.rulesReader = undefined;
        await client.terminate();
        throw error;
      }
    })();
    return this.rulesReader;
  }

  private get writer(): WorkerClient<Writer> {
    if (!this.writerClient) throw new Error('this case was opened read-only');
    return this.writerClient;
  }

  async close(): Promise<void> {
    await this.stopTails();
    const writer = this.writerClient;
    const rules = await this.rulesReader?.catch(() => undefined);
    const readers = [this.reader, this.aggregateReader, ...(rules ? [rules] : [])];
    await Promise.allSettled([...readers.map((r) => r.call.close()), writer?.call.close()]);
    await Promise.allSettled([...readers.map((r) => r.terminate()), writer?.terminate()]);
  }
}

/** `{ [key]: value }` when there is a value, else nothing (for optional properties). */
function withDefined<K extends string>(key: K, value: string | undefined | ''): { [P in K]?: string } {
  return value ? ({ [key]: value } as { [P in K]?: string }) : {};
}
