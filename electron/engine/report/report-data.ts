import type { StoredEvent, Histogram } from '../../../shared/contract.ts';
import type { CaseStats } from '../../../shared/domain/case.ts';
import type { ImportRecord } from '../../../shared/domain/import.ts';
import type { EventMarks } from '../../../shared/domain/annotations.ts';
import type { CaseNote } from '../../../shared/domain/case-note.ts';
import type { ActivitySummary } from '../../../shared/domain/activity.ts';
import type { VerifyReport } from '../../../shared/domain/journal.ts';
import { narrowQuery, type EventQuery } from '../../../shared/domain/query.ts';
import { reportTemplate, type ReportTemplate, type ReportTemplateId } from '../../../shared/domain/report.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import { formatSearch } from '../../../shared/query/format-search.ts';
import type { ReaderMethods } from '../workers/reader-methods.ts';
import { verifyCase } from '../cases/verify-case.ts';

/** Rows a report lists in full; beyond it the report says how many more there are. */
export const REPORT_ROWS = 1000;
/** Marked events (starred, tagged, noted) a case report lists. */
export const REPORT_MARKED = 500;
const REPORT_ACTORS = 15;

/** The reader calls a report needs (a reader thread's proxy, where every call is async). */
export type ReportReader = {
  [K in keyof ReaderMethods]: (
    ...args: Parameters<ReaderMethods[K]>
  ) => Promise<ReturnType<ReaderMethods[K]>>;
};

export interface ReportData {
  template: ReportTemplate;
  title: string;
  /** Epoch ms. */
  generatedAt: number;
  casePath: string;
  stats: CaseStats;
  imports: ImportRecord[];
  scope: { search: string; from?: number; to?: number; matched: number; selected?: number };
  histogram: Histogram;
  actors: ActivitySummary[];
  /** The events the report lists: marked ones for the case report, the template's matches otherwise. */
  events: { event: StoredEvent; marks?: EventMarks }[];
  eventsTotal: number;
  notes: CaseNote[];
  custody: VerifyReport;
  version: string;
}

/** The query's filter and a template's search, both required. */
function withSearch(query: EventQuery, search: string): EventQuery {
  if (search === '') return query;
  const parsed = parseSearch(search);
  if (!parsed.ok || !parsed.filter) throw new Error(`report template search does not parse: ${search}`);
  return narrowQuery(query, parsed.filter);
}

async function firstRows(
  reader: ReportReader,
  query: EventQuery,
  limit: number,
): Promise<{ rows: StoredEvent[]; total: number }> {
  const handle = await reader.openResult(query);
  try {
    const total = await reader.count(handle);
    return { rows: total === 0 ? [] : await reader.rows(handle, 0, Math.min(limit, total)), total };
  } finally {
    await reader.closeResult(handle);
  }
}

/**
 * Everything a report shows, read from the case: the scope (the search and time range it was
 * made for), the chart, the events, the actors, the notes, and custody — the journal re-verified
 * and the input files re-hashed at the time of the report.
 */
export async function collectReport(
  reader: ReportReader,
  casePath: string,
  query: EventQuery,
  options: { template: ReportTemplateId; title?: string; version: string; now?: number },
): Promise<ReportData> {
  const template = reportTemplate(options.template);
  const scoped = withSearch({ ...query, order: 'asc' }, template.search);
  const [stats, imports, histogram, actors, notes, custody, matched] = await Promise.all([
    reader.stats(),
    reader.imports(),
    reader.histogram(scoped, { stackBy: 'outcome', maxBuckets: 60 }),
    reader.activity(scoped, 'actor', { limit: REPORT_ACTORS }),
    reader.caseNotes(),
    verifyCase(casePath),
    reader.total(scoped),
  ]);
  let events: ReportData['events'];
  let eventsTotal: number;
  if (template.id === 'case') {
    const marked = withSearch(scoped, 'is:starred OR is:tagged OR is:noted');
    const { rows, total } = await firstRows(reader, marked, REPORT_MARKED);
    const marks = new Map((await reader.marks(rows.map((r) => r.seq))).map((m) => [m.seq, m]));
    events = rows.map((event) => ({ event, marks: marks.get(event.seq) }));
    eventsTotal = total;
  } else {
    const { rows, total } = await firstRows(reader, scoped, REPORT_ROWS);
    events = rows.map((event) => ({ event }));
    eventsTotal = total;
  }
  return {
    template,
    title: options.title ?? template.title,
    generatedAt: options.now ?? Date.now(),
    casePath,
    stats,
    imports,
    scope: {
      search: formatSearch(scoped.filter),
      from: query.from,
      to: query.to,
      matched,
      ...(query.seqs ? { selected: query.seqs.length } : {}),
    },
    histogram,
    actors,
    events,
    eventsTotal,
    notes: template.id === 'case' ? notes : [],
    custody,
    version: options.version,
  };
}
