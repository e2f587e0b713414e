import { lastEventRowid, openCaseForReading, type CaseDb } from '../store/case-db.ts';
import { CaseQueries } from '../query/case-queries.ts';
import { readJournal } from '../store/journal.ts';
import { marksOf, tagsOf } from '../store/annotations.ts';
import { savedSearches, searchHistory } from '../store/saved-searches.ts';
import { caseNotes } from '../store/case-notes.ts';
import type { LoadedRules } from '../detect/run-rules.ts';
import { alertsReport } from '../detect/evaluate-alerts.ts';
import { detectionSettings } from '../store/alerts.ts';
import { LiveAlerts } from '../detect/live-alerts.ts';
import type { AlertNotice, AlertRule } from '../../../shared/domain/alert.ts';
import { dashboard } from '../query/dashboard.ts';
import type { DashboardQuery } from '../../../shared/domain/dashboard.ts';

/** The reader thread's method table (kept apart from the worker entry so callers can type it). */
export function createReaderMethods() {
  let db: CaseDb | undefined;
  let queries: CaseQueries | undefined;
  const open = (): CaseQueries => {
    if (!queries) throw new Error('no case is open');
    return queries;
  };
  /** The rules watched for new alerts as events arrive (see LiveAlerts). */
  let watch: { rules: string; live: LiveAlerts } | undefined;
  return {
    open(path: string): void {
      db?.close();
      db = openCaseForReading(path);
      queries = new CaseQueries(db);
      watch = undefined;
    },
    /**
     * Starts (or keeps) watching these rules: events added from now on can raise notifications.
     * Cheap: the rules first run at the next `newAlerts`.
     */
    watchAlerts: (rules: AlertRule[], sigma: Omit<LoadedRules, 'alertRules'>): void => {
      open();
      const key = JSON.stringify([rules, sigma.rules]);
      if (watch?.rules === key) return;
      const top = lastEventRowid(db as CaseDb);
      watch = { rules: key, live: new LiveAlerts(rules, sigma, top) };
    },
    /** The alerts that events added since the last call (or since watching began) raised or grew. */
    newAlerts: (): AlertNotice[] => {
      open();
      return watch ? watch.live.newAlerts(db as CaseDb) : [];
    },
    openResult: (...args: Parameters<CaseQueries['openResult']>) => open().openResult(...args),
    count: (...args: Parameters<CaseQueries['count']>) => open().count(...args),
    total: (...args: Parameters<CaseQueries['total']>) => open().total(...args),
    rows: (...args: Parameters<CaseQueries['rows']>) => open().rows(...args),
    positionOf: (...args: Parameters<CaseQueries['positionOf']>) => open().positionOf(...args),
    closeResult: (...args: Parameters<CaseQueries['closeResult']>) => open().closeResult(...args),
    histogram: (...args: Parameters<CaseQueries['histogram']>) => open().histogram(...args),
    lanes: (...args: Parameters<CaseQueries['lanes']>) => open().lanes(...args),
    activity: (...args: Parameters<CaseQueries['activity']>) => open().activity(...args),
    journey: (...args: Parameters<CaseQueries['journey']>) => open().journey(...args),
    topValues: (...args: Parameters<CaseQueries['topValues']>) => open().topValues(...args),
    event: (...args: Parameters<CaseQueries['event']>) => open().event(...args),
    stats: () => open().stats(),
    counts: () => open().counts(),
    journal: (start: number, limit: number) => {
      open();
      return readJournal(db as CaseDb, start, limit);
    },
    imports: () => open().imports(),
    marks: (seqs: number[]) => {
      open();
      return marksOf(db as CaseDb, seqs);
    },
    tags: () => {
      open();
      return tagsOf(db as CaseDb);
    },
    savedSearches: () => {
      open();
      return savedSearches(db as CaseDb);
    },
    searchHistory: () => {
      open();
      return searchHistory(db as CaseDb);
    },
    caseNotes: () => {
      open();
      return caseNotes(db as CaseDb);
    },
    /** Every rule (Sigma ones parsed in the caller's thread, the built-in ones) over the case. */
    alerts: (loaded: LoadedRules) => {
      open();
      return alertsReport(db as CaseDb, loaded);
    },
    dashboard: (query: DashboardQuery) => {
      open();
      return dashboard(db as CaseDb, query);
    },
    detectionSettings: () => {
      open();
      return detectionSettings(db as CaseDb);
    },
    rejects: (...args: Parameters<CaseQueries['rejects']>) => open().rejects(...args),
    close(): void {
      db?.close();
      db = undefined;
      queries = undefined;
    },
  };
}

export type ReaderMethods = ReturnType<typeof createReaderMethods>;
