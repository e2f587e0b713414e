import { createHash } from 'node:crypto';
import type { Alert, AlertRule } from '../../../shared/domain/alert.ts';
import { MAX_SELECTED_EVENTS, type Filter } from '../../../shared/domain/query.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import { lastEventRowid, type CaseDb } from '../store/case-db.ts';
import { compileSqlite, type CompiledWhere } from '../query/compile-sqlite.ts';
import { fieldExpression } from '../query/case-queries.ts';
import { freeTextIndexComplete } from '../store/fts-indexer.ts';
import { DELETIONS_KEY } from '../store/delete-events.ts';
import { groupScan, scanOrder, type GroupScan, type Hit } from './group-scan.ts';
import { decidedByActivity } from './activity-tests.ts';

/** One group's hits, in scan order once `sorted`, and its scan over the first `scanned` of them. */
interface Group {
  values: string[];
  hits: Hit[];
  sorted: boolean;
  scanned: number;
  scan: GroupScan;
}

/** An alert as the rules see it, before the analyst's decisions are laid over it. */
export type RaisedAlert = Omit<Alert, 'state' | 'suppressed'> & { events: readonly EventRef[] };

/** One of an alert's events: its id (stable across cases), position and time. */
export interface EventRef {
  id: string;
  seq: number;
  time: number;
}

const NONE = '(none)';
/** Distinct (action, category, outcome) triples remembered at most (see AlertEngine.decided). */
const MAX_DECIDED = 100_000;

const activityKey = (action: unknown, category: unknown, outcome: unknown): string =>
  `${String(action)}\u0000${String(category)}\u0000${String(outcome)}`;

export function alertKey(ruleId: string, values: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([ruleId, values.map((v) => v.toLowerCase())]))
    .digest('hex')
    .slice(0, 24);
}

function searchFilter(search: string): Filter | undefined {
  const parsed = parseSearch(search);
  // Rules are checked when read (alert-rule-file.ts); built-in ones by the tests.
  if (!parsed.ok) throw new Error(`rule search ${JSON.stringify(search)}: ${parsed.error.message}`);
  return parsed.filter;
}

/**
 * The state of one rule over a growing case: every hit so far, by group. Alerts are a function of
 * the set of hits alone (windows are found in time order, whatever order events arrived in), so
 * a case evaluated at once and the same events evaluated as they arrive give the same alerts.
 */
export class AlertRuleState {
  readonly rule: AlertRule;
  private readonly groups = new Map<string, Group>();
  private readonly raised = new Map<string, RaisedAlert>();
  private readonly dirty = new Set<string>();
  /** Events the rule's searches matched (for a sequence: matched any step). */
  matched = 0;

  constructor(rule: AlertRule) {
    this.rule = rule;
  }

  /** The searches the rule reads events with: one, or one per sequence step. */
  searches(): string[] {
    return this.rule.steps?.map((s) => s.search) ?? [this.rule.search ?? ''];
  }

  /** The fields whose values the rule needs of each event. */
  fields(): string[] {
    return [...this.rule.groupBy, ...(this.rule.distinct ? [this.rule.distinct] : [])];
  }

  private readonly sequenceSeen = new Set<number>();

  /** One event that search number `step` matched, with the values of the fields the rule needs. */
  take(step: number, seq: number, id: string, time: number, valueOf: (field: string) => unknown): void {
    const values = this.rule.groupBy.map(valueOf);
    const missing = (v: unknown): boolean => v === null || v === undefined || v === '';
    // "Five failures from one IP" says nothing about events without an IP; a single event still counts.
    if (this.rule.type !== 'event' && values.some(missing)) return;
    const counted = this.rule.distinct ? valueOf(this.rule.distinct) : undefined;
    if (this.rule.distinct && missing(counted)) return;
    if (!this.rule.steps) this.matched++;
    else if (!this.sequenceSeen.has(seq)) {
      this.sequenceSeen.add(seq);
      this.matched++;
    }
    this.add({
      seq,
      id,
      time,
      step,
      values: values.map((v) => (missing(v) ? NONE : String(v))),
      ...(this.rule.distinct ? { distinct: String(counted).toLowerCase() } : {}),
    });
  }

  private add(hit: Hit): void {
    const key = JSON.stringify(hit.values.map((v) => v.toLowerCase()));
    let group = this.groups.get(key);
    if (!group)
      this.groups.set(
        key,
        (group = { values: hit.values, hits: [], sorted: true, scanned: 0, scan: groupScan(this.rule) }),
      );
    const last = group.hits[group.hits.length - 1];
    if (last && scanOrder(last, hit) > 0) group.sorted = false;
    group.hits.push(hit);
    this.dirty.add(key);
  }

  /** The rule's alerts, one per group that holds; only groups with new hits are looked at again. */
  alerts(): RaisedAlert[] {
    this.recompute();
    return [...this.raised.values()];
  }

  /** The alerts of the groups that got hits since the last look (a live tail's question). */
  changedAlerts(): RaisedAlert[] {
    return this.recompute().flatMap((key) => this.raised.get(key) ?? []);
  }

  private recompute(): string[] {
    const keys = [...this.dirty];
    for (const key of keys) {
      const group = this.groups.get(key);
      if (!group) continue;
      if (!group.sorted) {
        // A hit arrived earlier than one already scanned: scan the whole group again.
        group.hits.sort(scanOrder);
        group.sorted = true;
        group.scan = groupScan(this.rule);
        group.scanned = 0;
      }
      group.scan.scan(group.hits, group.scanned);
      group.scanned = group.hits.length;
      const found = group.scan.found(group.hits);
      if (found.length === 0) this.raised.delete(key);
      else this.raised.set(key, this.toAlert(group.values, found));
    }
    this.dirty.clear();
    return keys;
  }

  private toAlert(values: string[], hits: readonly Hit[]): RaisedAlert {
    const grouped = this.rule.groupBy.length > 0;
    return {
      key: alertKey(this.rule.id, grouped ? values : []),
      ruleId: this.rule.id,
      title: this.rule.title,
      level: this.rule.level,
      ruleKind: this.rule.type,
      ...(grouped ? { entity: { fields: this.rule.groupBy, values } } : {}),
      firstSeen: (hits[0] as Hit).time,
      lastSeen: (hits[hits.length - 1] as Hit).time,
      count: hits.length,
      seqs: hits.slice(0, MAX_SELECTED_EVENTS).map((h) => h.seq),
      // The hits themselves (each is an EventRef): a live tail's groups grow at every batch, and
      // copying every hit of every changed group at each check made it quadratic.
      events: hits,
    };
  }
}

/**
 * Auditscope's rules over a case, batch or as it grows: `advance` reads only the events added
 * since the last call (rowids only grow, deletions restart it), so a live tail costs what it adds.
 */
export class AlertEngine {
  private readonly rules: readonly AlertRule[];
  private states: AlertRuleState[];
  private lastRowid = 0;
  private deletions: unknown;
  /**
   * When every search depends only on an event's action, category and outcome (the built-in
   * rules' do): what each search says of each such triple seen, so that each is tested once
   * rather than once per event (~45 LIKE and = tests per event for the built-in rules).
   */
  private readonly decided = new Map<string, unknown[]>();

  constructor(rules: readonly AlertRule[]) {
    this.rules = rules;
    this.states = rules.map((rule) => new AlertRuleState(rule));
  }

  /** Evaluates the events added since the last call; `extra` narrows every search (a time range). */
  advance(db: CaseDb, extra?: Filter): void {
    // Deleted events take their hits with them: start again from the first event.
    const deletions = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(DELETIONS_KEY);
    if (deletions !== this.deletions) {
      this.deletions = deletions;
      this.states = this.rules.map((rule) => new AlertRuleState(rule));
      this.lastRowid = 0;
    }
    const top = lastEventRowid(db);
    if (top <= this.lastRowid) return;
    // Each search once, for every rule (and sequence step) that uses it.
    const readers = new Map<string, { state: AlertRuleState; step: number }[]>();
    for (const state of this.states)
      state
        .searches()
        .forEach((search, step) => readers.set(search, [...(readers.get(search) ?? []), { state, step }]));
    if (readers.size === 0) {
      this.lastRowid = top;
      return;
    }
    const ftsReady = freeTextIndexComplete(db);
    const consumers = [...readers.values()];
    const filters = [...readers.keys()].map(searchFilter);
    const tests = filters.map((filter) =>
      filter ? compileSqlite({ filter }, { ftsReady }) : { where: '1', params: [] },
    );
    const fields = [...new Set(consumers.flat().flatMap((c) => c.state.fields()))];
    const columns = fields.map(fieldExpression);
    const within = extra ? compileSqlite({ filter: extra }, { ftsReady }) : { where: '1', params: [] };
    // From the first event, `+rowid` keeps SQLite off the rowid range (all of it) so that a time
    // range can use its index; after that, the new rows are found by rowid.
    const range = `${this.lastRowid === 0 ? '+rowid' : 'rowid'} > ? AND +rowid <= ? AND (${within.where})`;
    const rangeParams = [this.lastRowid, top, ...within.params];
    const take = (row: unknown[], matches: (i: number) => unknown): void => {
      const [seq, id, time] = row as [number, string, number];
      const valueOf = (field: string): unknown => row[3 + fields.indexOf(field)];
      consumers.forEach((list, i) => {
        if (matches(i)) for (const { state, step } of list) state.take(step, seq, id, time, valueOf);
      });
    };
    if (filters.every(decidedByActivity)) {
      this.decide(db, tests, range, rangeParams);
      const rows = db
        .prepare(
          `SELECT rowid, event_id, time ${columns.map((c) => `, ${c.text}`).join('')}, action, category, outcome
             FROM events WHERE ${range}`,
        )
        .raw()
        .iterate(...columns.flatMap((c) => c.params), ...rangeParams) as Iterable<unknown[]>;
      for (const row of rows) {
        const n = row.length;
        const matches = this.decided.get(activityKey(row[n - 3], row[n - 2], row[n - 1])) ?? [];
        take(row, (i) => matches[i]);
      }
    } else {
      // One pass over the new events for every rule: each search becomes a column saying whether
      // the event matches it (rules that share a search share its column). Reading the table once
      // instead of once per search is most of the cost on a large case.
      const rows = db
        .prepare(
          `SELECT rowid, event_id, time ${columns.map((c) => `, ${c.text}`).join('')}
                  ${tests.map((t) => `, (${t.where})`).join('')}
             FROM events
            WHERE ${range} AND (${tests.map((t) => `(${t.where})`).join(' OR ')})`,
        )
        .raw()
        .iterate(
          ...columns.flatMap((c) => c.params),
          ...tests.flatMap((t) => t.params),
          ...rangeParams,
          ...tests.flatMap((t) => t.params),
        ) as Iterable<unknown[]>;
      const matchAt = 3 + columns.length;
      for (const row of rows) take(row, (i) => row[matchAt + i]);
    }
    this.lastRowid = top;
  }

  /** Tests each (action, category, outcome) of the new events not tested before, with SQL. */
  private decide(db: CaseDb, tests: readonly CompiledWhere[], range: string, params: unknown[]): void {
    // Bounded: a case with endlessly many distinct actions tests them again, never grows this.
    if (this.decided.size > MAX_DECIDED) this.decided.clear();
    const test = db
      .prepare(
        `SELECT ${tests.map((t) => `(${t.where})`).join(', ')}
           FROM (SELECT ? AS action, ? AS category, ? AS outcome)`,
      )
      .raw();
    const triples = db
      .prepare(`SELECT DISTINCT action, category, outcome FROM events WHERE ${range}`)
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

  alerts(): RaisedAlert[] {
    return this.states.flatMap((s) => s.alerts());
  }

  /** Only the alerts whose groups got events since the last look: what a live tail re-checks. */
  changedAlerts(): RaisedAlert[] {
    return this.states.flatMap((s) => s.changedAlerts());
  }

  /** Per rule: how many events its searches matched. */
  ruleCounts(): { rule: AlertRule; matched: number }[] {
    return this.states.map((s) => ({ rule: s.rule, matched: s.matched }));
  }
}
