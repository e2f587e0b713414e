import type { SourceMapping } from '../../../shared/domain/source.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import { parseTimestamp } from '../../../shared/lib/parse-time.ts';
import { createGenericNormalizer } from '../ingest/normalize/generic.ts';
import { RecordError, type Normalizer } from '../ingest/types.ts';
import { eventId } from '../ingest/event-id.ts';
import type { AuditEvent } from '../../../shared/domain/audit-event.ts';
import type { ServerSearch } from './compile-server.ts';
import type { SourceRow, TableReader } from './table-reader.ts';

export interface PreviewRow {
  row: SourceRow;
  /** What the row becomes as an event, or why it cannot be one. */
  event?: { time: string; actor?: string; action: string; target?: string; outcome: string; ip?: string };
  error?: string;
}

/** Where the next page of a browse starts: after this row (time, then key), newest first. */
export interface BrowseCursor {
  time: string | number;
  key: string | number;
}

export interface BrowseRequest {
  /** In the search box's syntax; run on the server (compile-server.ts). */
  search: string;
  /** Epoch µs, [from, to). */
  from?: number | undefined;
  to?: number | undefined;
  after?: BrowseCursor | null | undefined;
  limit: number;
}

/**
 * A table's row as the event it becomes through the source's mapping (its raw record: the row as
 * JSON), or why it cannot be one. `line`: the row's place in what is read (for the error).
 */
export function rowToEvent(row: SourceRow, normalizer: Normalizer, line = 1): AuditEvent | RecordError {
  const text = JSON.stringify(row);
  try {
    const { sourceEventId, ...fields } = normalizer.normalize({
      value: row as never,
      text,
      encodingError: false,
      offset: 0,
      line,
    });
    return { ...fields, id: eventId(fields.source, sourceEventId, row), raw: text, encodingError: false };
  } catch (error) {
    if (error instanceof RecordError) return error;
    throw error;
  }
}

/** Rows as the preview and the in-place browser show them: each with its event, or why not. */
export function previewRows(rows: SourceRow[], mapping: SourceMapping): PreviewRow[] {
  const normalizer = createGenericNormalizer(mapping);
  return rows.map((row) => {
    const event = rowToEvent(row, normalizer);
    if (event instanceof RecordError) return { row, error: event.message };
    return {
      row,
      event: {
        time: event.timeOriginal,
        action: event.action,
        outcome: event.outcome,
        ...(event.actor.name ? { actor: event.actor.name } : {}),
        ...(event.target.name ? { target: event.target.name } : {}),
        ...(event.ip ? { ip: event.ip } : {}),
      },
    };
  });
}

/** Bucket sizes a histogram picks from (seconds): the smallest giving at most MAX_BUCKETS. */
const INTERVALS = [
  1,
  5,
  15,
  30,
  60,
  300,
  900,
  1800,
  3600,
  3 * 3600,
  6 * 3600,
  12 * 3600,
  86_400,
  7 * 86_400,
  30 * 86_400,
];
const MAX_BUCKETS = 120;

/**
 * The matching rows per time bucket, counted by the server (two statements: the time range, then
 * the buckets); buckets without rows are left out. `interval` in seconds, `start` in epoch ms.
 */
export async function remoteHistogram(
  reader: TableReader,
  table: string,
  search: ServerSearch,
): Promise<{ interval: number; buckets: { start: number; count: number }[] }> {
  const timeColumn = timeColumnOf(search.mapping);
  const [range] = await reader.groups(table, { timeColumn, search, by: { kind: 'range' } });
  const [first, last] = (range?.value ?? []) as unknown[];
  const from = timeOf(first);
  const to = timeOf(last);
  if (from === undefined || to === undefined) return { interval: 60, buckets: [] };
  const span = (to - from) / 1000;
  const interval = INTERVALS.find((s) => span / s <= MAX_BUCKETS) ?? (INTERVALS.at(-1) as number);
  const groups = await reader.groups(table, {
    timeColumn,
    search,
    by: { kind: 'bucket', seconds: interval },
  });
  return { interval, buckets: groups.map((g) => ({ start: Number(g.value) * 1000, count: g.count })) };
}

/** The most frequent values of a field among the matching rows, counted by the server. */
export async function remoteTopValues(
  reader: TableReader,
  table: string,
  search: ServerSearch,
  field: string,
  limit: number,
): Promise<{ value: string | null; count: number }[]> {
  const groups = await reader.groups(table, {
    timeColumn: timeColumnOf(search.mapping),
    search,
    by: { kind: 'field', field, limit },
  });
  return groups.map((g) => ({
    value: g.value === null || g.value === undefined ? null : String(g.value),
    count: g.count,
  }));
}

export function timeColumnOf(mapping: SourceMapping): string {
  if (!mapping.time) throw new Error('map the event time to a column: a table is browsed in time order');
  return mapping.time;
}

/** A time as a server returned it (text in its own format, or a Date) as epoch ms. */
function timeOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string') return undefined;
  const parsed = parseTimestamp(value);
  return parsed ? Math.floor(parsed.time / 1000) : undefined;
}

/** A search box's text and time window as a search a reader runs on the server. */
export function serverSearch(
  request: Omit<BrowseRequest, 'after' | 'limit'>,
  mapping: SourceMapping,
): ServerSearch {
  const parsed = parseSearch(request.search);
  if (!parsed.ok)
    throw new Error(`${parsed.error.message} (at character ${parsed.error.offset + 1} of the search)`);
  return { filter: parsed.filter, from: request.from, to: request.to, mapping };
}

/**
 * One page of a table read in place, newest first, the search run by the server: only matching
 * rows travel. The next page starts after the last row by (time, key), so paging stays exact and
 * fast however deep; a table without a key cannot be paged past its first page this way.
 */
export async function browsePage(
  reader: TableReader,
  table: string,
  mapping: SourceMapping,
  request: BrowseRequest,
): Promise<{ rows: PreviewRow[]; next: BrowseCursor | null }> {
  const timeColumn = timeColumnOf(mapping);
  const key = await reader.keyColumn(table);
  const rows = await reader.rows(table, {
    timeColumn,
    ...(key ? { key } : {}),
    ...(request.after && key ? { position: request.after } : {}),
    limit: request.limit,
    order: 'desc',
    search: serverSearch(request, mapping),
  });
  const last = rows[rows.length - 1];
  const next =
    key && last && rows.length === request.limit
      ? { time: last[timeColumn] as string | number, key: last[key] as string | number }
      : null;
  return { rows: previewRows(rows, mapping), next };
}
