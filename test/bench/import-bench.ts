import { statSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CaseSession } from '../../electron/engine/case-session.ts';

export interface ImportRun {
  firstRowsVisibleMs: number;
  browsableMs: number;
  freeTextSearchableMs: number;
  eventsPerSecond: number;
  megabytesPerSecond: number;
  pageWhileIndexingMs: number;
  peakRssMb: number;
  caseBytes: number;
  caseSizeRatio: number;
  accepted: number;
  /**
   * How long this thread (where the desktop app's main process holds the case) was kept from
   * running, from the import call until the free-text index is done: p99 and worst delay.
   */
  mainThreadDelayP99Ms: number;
  mainThreadDelayMaxMs: number;
}

/**
 * One import of `input` into a fresh case, timed from the call: first rows a reader can see,
 * import complete (browsable: sortable and filterable by time and fields — the indexes are kept
 * during the load), and free-text index complete (built in the background after the load).
 */
export async function benchImport(input: string, casePath: string): Promise<ImportRun> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const session = await CaseSession.open(casePath);
  let firstRowsVisibleMs = NaN;
  let probing = false;
  const probe = async (): Promise<void> => {
    // A reader on its own connection sees the first committed batch: that is "rows visible".
    if (probing || !Number.isNaN(firstRowsVisibleMs)) return;
    probing = true;
    const handle = await session.read.openResult({});
    const rows = await session.read.rows(handle, 0, 200);
    if (rows.length > 0 && Number.isNaN(firstRowsVisibleMs)) firstRowsVisibleMs = performance.now() - started;
    await session.read.closeResult(handle);
    probing = false;
  };
  const summary = await session.import([input], { onProgress: (p) => void (p.accepted > 0 && probe()) });
  const browsableMs = performance.now() - started;
  const accepted = summary.totals.accepted;

  // Browsing while the free-text index builds: a deep page through the reader thread.
  const handle = await session.read.openResult({});
  const total = await session.read.count(handle);
  const pageStart = performance.now();
  await session.read.rows(handle, Math.floor(total / 2), 200);
  const pageWhileIndexingMs = performance.now() - pageStart;

  let ready = false;
  while (!ready) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    ready = (await session.ftsStatus()).ready;
  }
  const freeTextSearchableMs = performance.now() - started;
  delay.disable();
  await session.close();

  const caseBytes = statSync(casePath).size;
  const inputBytes = statSync(input).size;
  return {
    firstRowsVisibleMs,
    browsableMs,
    freeTextSearchableMs,
    eventsPerSecond: Math.round(accepted / (browsableMs / 1000)),
    megabytesPerSecond: Math.round((inputBytes / 1e6 / (browsableMs / 1000)) * 10) / 10,
    pageWhileIndexingMs,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    caseBytes,
    caseSizeRatio: Math.round((caseBytes / inputBytes) * 100) / 100,
    accepted,
    // The histogram is in nanoseconds and includes the 10 ms sampling interval itself.
    mainThreadDelayP99Ms: Math.round(delay.percentile(99) / 1e6),
    mainThreadDelayMaxMs: Math.round(delay.max / 1e6),
  };
}
