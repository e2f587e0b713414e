import type { Filter } from '../../../shared/domain/query.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import type { CaseDb } from '../store/case-db.ts';
import { compileSqlite, type CompiledWhere } from '../query/compile-sqlite.ts';
import { fieldExpression } from '../query/case-queries.ts';
import { freeTextIndexComplete } from '../store/fts-indexer.ts';
import { decidedByActivity } from './activity-tests.ts';

/** What takes a rule's hits as they are read: a case's alerts (AlertRuleState) or a tail's (LiveRuleState). */
export interface HitTaker {
  /** The searches the rule reads events with: one, or one per sequence step. */
  searches(): string[];
  /** The fields whose values the rule needs of each event. */
  fields(): string[];
  /** One event that search number `step` matched. */
  take(step: number, seq: number, id: string, time: number, valueOf: (field: string) => unknown): void;
}

export interface HitRange {
  /** The events after this rowid, up to `through`. */
  after: number;
  through: number;
  /** Narrows every search (a time range). */
  extra?: Filter;
  /**
   * Reads the events in time order (then rowid) instead of rowid order, and tells this function
   * the time reached every few thousand events: every event read after it is at that time or later.
   */
  inTimeOrder?: (time: number) => void;
}

/** Distinct (action, category, outcome) triples remembered at most (see HitReader.decided). */
const MAX_DECIDED = 100_000;
/** How many events an ordered read takes between two reports of the time reached. */
const TIME_REPORT_EVERY = 8192;

const activityKey = (action: unknown, category: unknown, outcome: unknown): string =>
  `${String(action)}\u0000${String(category)}\u0000${String(outcome)}`;

function searchFilter(search: string): Filter | undefined {
  const parsed = parseSearch(search);
  // Rules are checked when read (alert-rule-file.ts); built-in ones by the tests.
  if (!parsed.ok) throw new Error(`rule search ${JSON.stringify(search)}: ${parsed.error.message}`);
  return parsed.filter;
}

/** Reads a range of a case's events once for every rule, handing each rule the events its searches match. */
export class HitReader {
  /**
   * When every search depends only on an event's action, category and outcome (the built-in
   * rules' do): what each search says of each such triple seen, so that each is tested once
   * rather than once per event (~45 LIKE and = tests per event for the built-in rules).
   */
  private decided = new Map<string, unknown[]>();
  /** The searches `decided` answers for, in the order of its answers (reads can differ in rules). */
  private decidedFor = '';

  read(db: CaseDb, takers: readonly HitTaker[], range: HitRange): void {
    // Each search once, for every rule (and sequence step) that uses it.
    const readers = new Map<string, { state: HitTaker; step: number }[]>();
    for (const state of takers)
      state
        .searches()
        .forEach((search, step) => readers.set(search, [...(readers.get(search) ?? []), { state, step }]));
    if (readers.size === 0) return;
    const ftsReady = freeTextIndexComplete(db);
    const consumers = [...readers.values()];
    const filters = [...readers.keys()].map(searchFilter);
    const tests = filters.map((filter) =>
      filter ? compileSqlite({ filter }, { ftsReady }) : { where: '1', params: [] },
    );
    const fields = [...new Set(consumers.flat().flatMap((c) => c.state.fields()))];
    const columns = fields.map(fieldExpression);
    const { extra, inTimeOrder } = range;
    const within = extra ? compileSqlite({ filter: extra }, { ftsReady }) : { where: '1', params: [] };
    // From the first event, `+rowid` keeps SQLite off the rowid range (all of it) so that a time
    // range (or the time order) can use its index; after that, the new rows are found by rowid.
    const rows = `${range.after === 0 ? '+rowid' : 'rowid'} > ? AND +rowid <= ? AND (${within.where})`;
    const rowParams = [range.after, range.through, ...within.params];
    const order = inTimeOrder ? 'ORDER BY time, rowid' : '';
    let read = 0;
    const take = (row: unknown[], matches: (i: number) => unknown): void => {
      const [seq, id, time] = row as [number, string, number];
      if (inTimeOrder && read++ % TIME_REPORT_EVERY === 0) inTimeOrder(time);
      const valueOf = (field: string): unknown => row[3 + fields.indexOf(field)];
      consumers.forEach((list, i) => {
        if (matches(i)) for (const { state, step } of list) state.take(step, seq, id, time, valueOf);
      });
    };
    if (filters.every(decidedByActivity)) {
      const searches = JSON.stringify([...readers.keys()]);
      if (searches !== this.decidedFor) {
        this.decidedFor = searches;
        this.decided = new Map();
      }
      this.decide(db, tests, rows, rowParams);
      const found = db
        .prepare(
          `SELECT rowid, event_id, time ${columns.map((c) => `, ${c.text}`).join('')}, action, category, outcome
             FROM events WHERE ${rows} ${order}`,
        )
        .raw()
        .iterate(...columns.flatMap((c) => c.params), ...rowParams) as Iterable<unknown[]>;
      for (const row of found) {
        const n = row.length;
        const matches = this.decided.get(activityKey(row[n - 3], row[n - 2], row[n - 1])) ?? [];
        take(row, (i) => matches[i]);
      }
    } else {
      // One pass over the new events for every rule: each search becomes a column saying whether
      // the event matches it (rules that share a search share its column). Reading the table once
      // instead of once per search is most of the cost on a large case.
      const found = db
        .prepare(
          `SELECT rowid, event_id, time ${columns.map((c) => `, ${c.text}`).join('')}
                  ${tests.map((t) => `, (${t.where})`).join('')}
             FROM events
            WHERE ${rows} AND (${tests.map((t) => `(${t.where})`).join(' OR ')}) ${order}`,
        )
        .raw()
        .iterate(
          ...columns.flatMap((c) => c.params),
          ...tests.flatMap((t) => t.params),
          ...rowParams,
          ...tests.flatMap((t) => t.params),
        ) as Iterable<unknown[]>;
      const matchAt = 3 + columns.length;
      for (const row of found) take(row, (i) => row[matchAt + i]);
    }
  }

  /** Tests each (action, category, outcome) of the range's events not tested before, with SQL. */
  private decide(db: CaseDb, tests: readonly CompiledWhere[], rows: string, params: unknown[]): void {
    // Bounded: a case with endlessly many distinct actions tests them again, never grows this.
    if (this.decided.size > MAX_DECIDED) this.decided.clear();
    const test = db
      .prepare(
        `SELECT ${tests.map((t) => `(${t.where})`).join(', ')}
           FROM (SELECT ? AS action, ? AS category, ? AS outcome)`,
      )
      .raw();
    const triples = db
      .prepare(`SELECT DISTINCT action, category, outcome FROM events WHERE ${rows}`)
      .raw()
      .all(...params) as [string, string, string][];
    for (const [action, category, outcome] of triples) {
      const key = activityKey(action, category, outcome);
      if (!this.decided.has(key))
        this.decided.set(
          key,
          test.get(...tests.flatMap((t) => t.params), action, category, outcome) as unknown[],
        );
    }
  }
}
