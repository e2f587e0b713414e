import type { Histogram, StoredEvent } from '../../../shared/contract.ts';
import type { AuditEvent } from '../../../shared/domain/audit-event.ts';
import type { FieldValueCount } from '../../../shared/domain/case.ts';
import type { EventQuery } from '../../../shared/domain/query.ts';
import type { RemoteScope } from '../../../shared/domain/source.ts';
import { parseTimestamp } from '../../../shared/lib/parse-time.ts';
import { eventId } from '../ingest/event-id.ts';
import { createGenericNormalizer } from '../ingest/normalize/generic.ts';
import { RecordError, type Normalizer } from '../ingest/types.ts';
import type { ServerSearch } from './compile-server.ts';
import { rowToEvent } from './browse-table.ts';
import { tableOrder, type SourceRegistry } from './source-registry.ts';
import type { PagePosition, SourceRow } from './table-reader.ts';

/** Events of tables read in place kept for `event.get` (the detail panel), newest asked last. */
const KEPT_EVENTS = 20_000;
/** Page boundaries a result remembers to start its next pages from (see `positionAt`). */
const KEPT_CURSORS = 5_000;
/** Results kept open at most (the oldest closed first): a page that went away never closes its own. */
const KEPT_RESULTS = 64;

/** One open result over a table read in place: the query, and what it has learned of the table. */
interface RemoteResult {
  scope: RemoteScope;
  search: ServerSearch;
  order: 'asc' | 'desc';
  normalizer: Normalizer;
  count?: { count: number; exact: boolean };
  /** Newest first, the result ends at its first row as first read: rows added since come after a refresh. */
  anchored: boolean;
  /** For a position p: the (time, key) of the row at p - 1, where a keyset page at p starts. */
  cursors: Map<number, { time: unknown; key: unknown }>;
}

/**
 * The workspace's result handles over a remote table (PostgreSQL, MySQL): the same calls as over
 * a case — count, rows by position, position of a time, histogram, top values — answered by the
 * database server, so the Logs view works the same over both. Rows become events through the
 * source's mapping as they are read; nothing is stored. Positions map to keyset pages (fast at
 * any depth) from the nearest page boundary already read, skipping the rest by OFFSET.
 *
 * Events read this way get negative seqs (a case's are positive): `event.get` finds them among
 * the last KEPT_EVENTS read; they cannot be starred, tagged, exported or deleted (pull them into
 * the case for that).
 */
export class RemoteResults {
  private readonly sources: SourceRegistry;
  private readonly results = new Map<string, RemoteResult>();
  private readonly events = new Map<number, StoredEvent>();
  private handles = 0;
  private lastSeq = 0;

  constructor(sources: SourceRegistry) {
    this.sources = sources;
  }

  /** Remote handles are `s1`, `s2`, …; a case's are `r…`. */
  static owns(handle: string): boolean {
    return handle.startsWith('s');
  }

  open(query: EventQuery, scope: RemoteScope): string {
    if (query.seqs) throw new Error('a table read in place is searched, not picked event by event');
    const handle = `s${++this.handles}`;
    this.results.set(handle, {
      scope,
      search: searchOf(query, scope),
      order: query.order ?? 'desc',
      normalizer: createGenericNormalizer(scope.mapping),
      cursors: new Map(),
      anchored: false,
    });
    if (this.results.size > KEPT_RESULTS) this.results.delete(this.results.keys().next().value as string);
    return handle;
  }

  /** A source removed: its results close, and no row read in place is kept (of any source). */
  forget(source: string): void {
    for (const [handle, result] of this.results)
      if (result.scope.source === source) this.results.delete(handle);
    this.events.clear();
  }

  close(handle: string): void {
    this.results.delete(handle);
  }

  /** The server's count, or its estimate when counting takes too long (see SourceRegistry.count). */
  async count(handle: string): Promise<number> {
    return (await this.counted(handle)).count;
  }

  /** Whether the result's count is the server's estimate rather than a count. */
  async estimated(handle: string): Promise<boolean> {
    return !(await this.counted(handle)).exact;
  }

  async rows(handle: string, start: number, limit: number): Promise<StoredEvent[]> {
    const result = this.get(handle);
    const { scope } = result;
    return this.sources.readInPlace(scope.source, async (reader) => {
      const { timeColumn, key } = await tableOrder(reader, scope.table, scope.mapping);
      const rows = await reader.rows(scope.table, {
        timeColumn,
        ...(key ? { key } : {}),
        position: key ? positionAt(result, start) : { offset: start },
        limit,
        order: result.order,
        search: result.search,
      });
      const last = rows[rows.length - 1];
      if (key && last) remember(result, start + rows.length, { time: last[timeColumn], key: last[key] });
      anchor(result, rows[0], start, timeColumn);
      return rows.map((row) => this.keep(toEvent(row, result.normalizer, timeColumn)));
    });
  }

  /** How many rows come before the first at `time` (epoch µs) or past it, in the result's order. */
  async positionOf(handle: string, time: number): Promise<number> {
    const { scope, search, order } = this.get(handle);
    const before: ServerSearch =
      order === 'desc'
        ? { ...search, from: Math.max(search.from ?? -Infinity, time + 1) }
        : { ...search, to: Math.min(search.to ?? Infinity, time) };
    return (await this.sources.count(scope.source, scope.table, before)).count;
  }

  /** An event read from a remote table not long ago (negative seq), if still kept. */
  event(seq: number): StoredEvent | undefined {
    return this.events.get(seq);
  }

  /** The matching rows over time, counted by the server: one series (`total`), no stacks. */
  async histogram(query: EventQuery, scope: RemoteScope): Promise<Histogram> {
    const answer = await this.sources.histogram(scope.source, scope.table, searchOf(query, scope));
    const interval = answer.interval * 1e6;
    const counts = new Map(answer.buckets.map((b) => [b.start * 1000, b.count]));
    const starts = [...counts.keys()];
    if (starts.length === 0) return { interval, from: query.from ?? 0, to: query.to ?? 0, buckets: [] };
    // The server leaves out empty buckets; the chart's time axis needs them.
    const first = Math.min(...starts);
    const last = Math.max(...starts);
    const buckets = [];
    for (let start = first; start <= last; start += interval) {
      const total = counts.get(start) ?? 0;
      buckets.push({ start, counts: {}, total });
    }
    return { interval, from: first, to: last + interval, buckets };
  }

  /** A field's most frequent values among the matching rows, and how many rows match. */
  async topValues(
    query: EventQuery,
    scope: RemoteScope,
    field: string,
    limit: number,
  ): Promise<{ total: number; values: FieldValueCount[] }> {
    const search = searchOf(query, scope);
    const top = await this.sources.topValues(scope.source, scope.table, search, field, limit);
    const { count } = await this.sources.count(scope.source, scope.table, search);
    return {
      total: count,
      // Rows without a value are counted in the total, not listed (as over a case).
      values: top.flatMap((t) => (t.value === null ? [] : [{ value: t.value, count: t.count }])),
    };
  }

  private async counted(handle: string): Promise<{ count: number; exact: boolean }> {
    const result = this.get(handle);
    result.count ??= await this.sources.count(result.scope.source, result.scope.table, result.search);
    return result.count;
  }

  private get(handle: string): RemoteResult {
    const result = this.results.get(handle);
    if (!result) throw new Error(`no open result ${handle}: it was closed`);
    return result;
  }

  private keep(event: AuditEvent): StoredEvent {
    const stored = { ...event, seq: --this.lastSeq };
    this.events.set(stored.seq, stored);
    if (this.events.size > KEPT_EVENTS) this.events.delete(this.events.keys().next().value as number);
    return stored;
  }
}

/** The workspace's query as a search the server runs (selected events aside: refused in `open`). */
function searchOf(query: EventQuery, scope: RemoteScope): ServerSearch {
  return { filter: query.filter, from: query.from, to: query.to, mapping: scope.mapping };
}

/**
 * Newest first, rows committed after the result's first page would push every position down (a
 * page read again would repeat rows, a jump land off by as many): the result ends at the first
 * row it read, as the case's results end at what was stored when opened. New rows show after a
 * refresh. (A row committed later with the same time is left out too.)
 */
function anchor(result: RemoteResult, first: SourceRow | undefined, start: number, timeColumn: string): void {
  if (result.anchored || result.order !== 'desc' || start !== 0 || !first) return;
  // Up to the end of the newest time: a Date holds milliseconds of the server's microseconds.
  const value = first[timeColumn];
  const end =
    value instanceof Date
      ? (value.getTime() + 1) * 1000
      : typeof value === 'string'
        ? (parseTimestamp(value)?.time ?? Number.NaN) + 1
        : Number.NaN;
  if (Number.isNaN(end)) return;
  result.anchored = true;
  result.search = { ...result.search, to: Math.min(result.search.to ?? Infinity, end) };
}

/** Where the page at `start` begins: keyset from the nearest boundary at or before it, then OFFSET. */
function positionAt(result: RemoteResult, start: number): PagePosition {
  let nearest = 0;
  for (const boundary of result.cursors.keys())
    if (boundary <= start && boundary > nearest) nearest = boundary;
  const cursor = result.cursors.get(nearest);
  if (!cursor) return start === 0 ? undefined : { offset: start };
  return { ...cursor, offset: start - nearest };
}

function remember(result: RemoteResult, position: number, cursor: { time: unknown; key: unknown }): void {
  result.cursors.set(position, cursor);
  if (result.cursors.size > KEPT_CURSORS) result.cursors.delete(result.cursors.keys().next().value as number);
}

/**
 * A row as an event through the source's mapping (see rowToEvent). A row the mapping cannot read
 * (an action column left empty…) is still shown, saying why, never dropped: the count the server
 * gave includes it.
 */
function toEvent(row: SourceRow, normalizer: Normalizer, timeColumn: string): AuditEvent {
  const event = rowToEvent(row, normalizer);
  if (!(event instanceof RecordError)) return event;
  return {
    id: eventId('remote', undefined, row),
    time: 0,
    timeOriginal: String(row[timeColumn]),
    source: 'remote',
    action: '(not an event)',
    category: 'other',
    outcome: 'unknown',
    actor: {},
    target: {},
    changes: [],
    message: `the mapping cannot read this row: ${event.message}`,
    raw: JSON.stringify(row),
  };
}
