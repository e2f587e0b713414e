// The one thread that writes a case file: imports, and the free-text index in the background.
import { parentPort } from 'node:worker_threads';
import { lastEventRowid, openCaseForWriting, type CaseDb } from '../store/case-db.ts';
import { EventWriter } from '../store/event-writer.ts';
import { FtsIndexer } from '../store/fts-indexer.ts';
import { Journal } from '../store/journal.ts';
import { annotate } from '../store/annotations.ts';
import { deleteSearch, recordSearch, saveSearch } from '../store/saved-searches.ts';
import { deleteCaseNote, saveCaseNote } from '../store/case-notes.ts';
import { deleteEvents } from '../store/delete-events.ts';
import { decideAlert, setDetectionSettings, suppressAlerts, unsuppressAlerts } from '../store/alerts.ts';
import type { AlertDecision, AlertEntity } from '../../../shared/domain/alert.ts';
import type { DetectionSettings } from '../../../shared/domain/detection-settings.ts';
import type { HistoryEntry, SavedSearch } from '../../../shared/domain/saved-search.ts';
import type { CaseNoteDraft } from '../../../shared/domain/case-note.ts';
import type { DeletionTarget } from '../../../shared/domain/deletion.ts';
import type { AnnotationChange } from '../../../shared/domain/annotations.ts';
import { runImport, type ImportFileOptions } from './import-runner.ts';
import { serve, type Methods, type Notice } from './rpc.ts';
import { WriteGate } from './write-gate.ts';
import { BusyShare } from './busy-share.ts';
import type { ImportProgress } from '../../../shared/domain/import.ts';

const port = parentPort;
if (!port) throw new Error('writer-worker must run as a worker thread');

/** Rows per free-text indexing transaction: small enough that an import waits at most ~100 ms. */
const FTS_CHUNK = 2000;
/**
 * Smaller steps while a tail is storing batches: the next batch waits at most for one step, and
 * a live tail at 10k events/s kept up with 500-row steps where 2,000 let its backlog grow.
 */
const FTS_CHUNK_WHILE_TAILING = 500;
/**
 * While storing a tail's batches takes more than FTS_PACED_ABOVE of this thread's time (over the
 * last second), at most one step this often (~5,000 events/s): such a tail leaves the index
 * behind until it slows (searches index or scan what it lacks: see PendingTextIndex), rather than
 * spend ~15 % of the two cores on it while the tail needs them all (measured: a 20k rows/s table
 * tail's writer spent ~40 % of its busy time indexing). A slower tail leaves room: the index
 * keeps up, or catches up, at once.
 */
const FTS_STEP_WHILE_TAILING_MS = 100;
const FTS_PACED_ABOVE = 0.5;
const tailBusy = new BusyShare(1000);
/** A tail stored a batch this recently: it is still running. */
const TAILING_MS = 2000;
let lastTailBatchAt = 0;

let db: CaseDb | undefined;
let writer: EventWriter | undefined;
let fts: FtsIndexer | undefined;
let journal: Journal | undefined;
let activeImports = 0;
let ftsScheduled = false;
const cancels = new Map<string, () => void>();
/** Every write on this thread waits while a tail's file is being stored in one transaction. */
const gate = new WriteGate();

const notify = (notice: string, payload: unknown): void =>
  port.postMessage({ notice, payload } satisfies Notice);

function requireOpen(): { db: CaseDb; writer: EventWriter; fts: FtsIndexer; journal: Journal } {
  if (!db || !writer || !fts || !journal) throw new Error('no case is open');
  return { db, writer, fts, journal };
}

function ftsStatus(): { indexedThrough: number; lastRowid: number; ready: boolean } {
  const open = requireOpen();
  const lastRowid = lastEventRowid(open.db);
  const indexedThrough = open.fts.indexedThrough();
  return { indexedThrough, lastRowid, ready: indexedThrough >= lastRowid };
}

/**
 * Indexes in small steps between other work; pauses while an import writes. While a tail keeps
 * this thread busy, steps come at most every FTS_STEP_WHILE_TAILING_MS.
 */
function scheduleFts(delayMs = 0): void {
  if (ftsScheduled || !fts) return;
  ftsScheduled = true;
  const step = (): void => {
    ftsScheduled = false;
    if (!fts || activeImports > 0 || gate.held) return;
    const tailing = Date.now() - lastTailBatchAt < TAILING_MS;
    const indexed = fts.indexNext(tailing ? FTS_CHUNK_WHILE_TAILING : FTS_CHUNK);
    const status = ftsStatus();
    notify('fts-progress', status);
    const paced = tailing && tailBusy.share(Date.now()) > FTS_PACED_ABOVE;
    if (indexed > 0) scheduleFts(paced ? FTS_STEP_WHILE_TAILING_MS : 0);
  };
  if (delayMs > 0) setTimeout(step, delayMs);
  else setImmediate(step);
}

serve(
  port,
  gated({
    open(path: string): { ftsReady: boolean } {
      if (db) throw new Error('a case is already open in this writer');
      db = openCaseForWriting(path);
      writer = new EventWriter(db);
      fts = new FtsIndexer(db);
      journal = new Journal(db);
      if (journal.isEmpty()) {
        // A new case, or one from before the journal: it starts with what the case holds now.
        const imports = Number(db.prepare('SELECT count(*) FROM imports').pluck().get());
        const events = Number(db.prepare('SELECT count(*) FROM events').pluck().get());
        if (imports === 0 && events === 0) journal.append('case.created', { path });
        else journal.append('journal.started', { path, imports, events });
      }
      scheduleFts();
      return { ftsReady: ftsStatus().ready };
    },

    async importFile(path: string, options: ImportFileOptions) {
      const open = requireOpen();
      activeImports++;
      const startedAt = Date.now();
      try {
        const result = await runImport(
          open.writer,
          gate,
          path,
          options,
          (progress: ImportProgress) => notify('import-progress', progress),
          (cancel) => cancels.set(options.jobId, cancel),
        );
        // Every file, whatever became of it, with the SHA-256 of what was read.
        const record = (): unknown =>
          journal?.append('import', {
            importId: result.importId,
            path: result.path,
            sha256: result.sha256,
            size: result.size,
            format: result.format,
            container: result.container,
            status: result.status,
            accepted: result.accepted,
            duplicates: result.duplicates,
            rejected: result.rejected,
            ...(result.error === undefined ? {} : { error: result.error }),
          });
        if (options.tailBatch) open.writer.redoable(record);
        else record();
        return result;
      } finally {
        cancels.delete(options.jobId);
        activeImports--;
        if (options.tailBatch) {
          lastTailBatchAt = Date.now();
          tailBusy.add(startedAt, lastTailBatchAt);
        }
        // A full WAL checkpoint after each file keeps the case file whole on disk (a tail's
        // batches leave it to SQLite's automatic checkpoints: see ImportOptions.tailBatch).
        if (!options.tailBatch) open.writer.checkpoint();
        scheduleFts();
      }
    },

    cancel(jobId: string): boolean {
      const cancel = cancels.get(jobId);
      cancel?.();
      return cancel !== undefined;
    },

    ftsStatus,

    /** Stars, tags or notes events, journaled. */
    annotate(seqs: number[], change: AnnotationChange) {
      const open = requireOpen();
      return annotate(open.db, open.journal, seqs, change);
    },

    saveSearch(search: Omit<SavedSearch, 'savedAt'>) {
      const open = requireOpen();
      return saveSearch(open.db, open.journal, search);
    },

    deleteSearch(name: string) {
      const open = requireOpen();
      deleteSearch(open.db, open.journal, name);
    },

    recordSearch(entry: Omit<HistoryEntry, 'usedAt'>) {
      recordSearch(requireOpen().db, entry);
    },

    decideAlert(decision: AlertDecision, analyst: string) {
      const open = requireOpen();
      return decideAlert(open.db, open.journal, decision, analyst);
    },

    suppressAlerts(suppression: { ruleId: string; entity: AlertEntity; note: string }, analyst: string) {
      const open = requireOpen();
      return suppressAlerts(open.db, open.journal, suppression, analyst);
    },

    unsuppressAlerts(target: { ruleId: string; entity: AlertEntity }, analyst: string) {
      const open = requireOpen();
      unsuppressAlerts(open.db, open.journal, target, analyst);
    },

    setDetectionSettings(settings: DetectionSettings) {
      const open = requireOpen();
      return setDetectionSettings(open.db, open.journal, settings);
    },

    saveNote(draft: CaseNoteDraft) {
      const open = requireOpen();
      return saveCaseNote(open.db, open.journal, draft);
    },

    deleteNote(id: number) {
      const open = requireOpen();
      deleteCaseNote(open.db, open.journal, id);
    },

    /** Removes events from the case (never from the input files), journaled. */
    deleteEvents(target: DeletionTarget) {
      const open = requireOpen();
      const summary = deleteEvents(open.db, open.journal, target);
      open.writer.checkpoint();
      return summary;
    },

    /** Appends an entry to the case journal (exports, pulls: what happens outside this thread). */
    journal(action: string, detail: Record<string, unknown>) {
      if (!journal) throw new Error('no case is open');
      return journal.append(action, detail);
    },

    /** Builds the whole free-text index now (CLI and tests; the app lets it run in the background). */
    indexAll(): number {
      const open = requireOpen();
      let total = 0;
      for (let n = open.fts.indexNext(FTS_CHUNK * 10); n > 0; n = open.fts.indexNext(FTS_CHUNK * 10))
        total += n;
      return total;
    },

    close(): void {
      if (!db) return;
      writer?.checkpoint();
      db.close();
      db = undefined;
      writer = undefined;
      fts = undefined;
      journal = undefined;
    },
  }),
);

/**
 * The methods with every one but `importFile` (whose writes go through the gate one by one) and
 * `cancel` (which writes nothing) run only while no tail's file holds the case open for writing.
 */
function gated(methods: Methods): Methods {
  const ungated = new Set(['importFile', 'cancel']);
  return Object.fromEntries(
    Object.entries(methods).map(([name, method]) => [
      name,
      ungated.has(name)
        ? method
        : (...args: never[]) => gate.run(() => (method as (...a: never[]) => unknown)(...args)),
    ]),
  );
}
