import { createHash } from 'node:crypto';
import type { Alert, AlertRule } from '../../../shared/domain/alert.ts';
import { MAX_SELECTED_EVENTS, type Filter } from '../../../shared/domain/query.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import type { CaseDb } from '../store/case-db.ts';
import { compileSqlite } from '../query/compile-sqlite.ts';
import { fieldExpression } from '../query/case-queries.ts';
import { freeTextIndexComplete } from '../store/fts-indexer.ts';
import { DELETIONS_KEY } from '../store/delete-events.ts';

/** An event one of a rule's searches matched, with the values the rule groups and counts by. */
interface Hit {
  seq: number;
  id: string;
  time: number;
  /** Which search matched it: 0, or the sequence step. */
  step: number;
  /** The group-by values as written (shown), and lower-cased (compared). */
  values: string[];
  distinct?: string;
}

/** An alert as the rules see it, before the analyst's decisions are laid over it. */
export type RaisedAlert = Omit<Alert, 'state' | 'suppressed'> & { events: EventRef[] };

/** One of an alert's events: its id (stable across cases), position and time. */
export interface EventRef {
  id: string;
  seq: number;
  time: number;
}

const NONE = '(none)';
const byTime = (a: Hit, b: Hit): number => a.time - b.time || a.seq - b.seq;

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
  private readonly groups = new Map<string, { values: string[]; hits: Hit[]; sorted: boolean }>();
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
    if (!group) this.groups.set(key, (group = { values: hit.values, hits: [], sorted: true }));
    const last = group.hits[group.hits.length - 1];
    if (last && byTime(last, hit) > 0) group.sorted = false;
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
        group.hits.sort((a, b) => byTime(a, b) || a.step - b.step);
        group.sorted = true;
      }
      const found = this.holding(group.hits);
      if (found.length === 0) this.raised.delete(key);
      else this.raised.set(key, this.toAlert(group.values, found));
    }
    this.dirty.clear();
    return keys;
  }

  /** The hits that make up the alert of one group (empty: the rule does not hold for it). */
  private holding(hits: Hit[]): Hit[] {
    const { type, within = 0, threshold = 1 } = this.rule;
    if (type === 'event') return hits;
    if (type === 'sequence') return sequenceHits(hits, this.rule.steps ?? [], within);
    // Threshold / distinct: slide a window of `within` over the group; every event of a window
    // that holds belongs to the alert.
    const marked: Hit[] = [];
    const values = new Map<string, number>();
    let left = 0;
    let markedUpTo = 0;
    for (let right = 0; right < hits.length; right++) {
      const entering = hits[right] as Hit;
      if (entering.distinct !== undefined)
        values.set(entering.distinct, (values.get(entering.distinct) ?? 0) + 1);
      while (entering.time - (hits[left] as Hit).time > within) {
        const leaving = (hits[left] as Hit).distinct;
        if (leaving !== undefined) {
          const n = (values.get(leaving) ?? 1) - 1;
          if (n === 0) values.delete(leaving);
          else values.set(leaving, n);
        }
        left++;
      }
      const size = type === 'distinct' ? values.size : right - left + 1;
      if (size < threshold) continue;
      for (let i = Math.max(left, markedUpTo); i <= right; i++) marked.push(hits[i] as Hit);
      markedUpTo = right + 1;
    }
    return marked;
  }

  private toAlert(values: string[], hits: Hit[]): RaisedAlert {
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
      events: hits.map(({ id, seq, time }) => ({ id, seq, time })),
    };
  }
}

/**
 * The hits of every completed sequence in one group: for each event of the last step, the latest
 * events of each earlier step (at least `min` of each, each step strictly before the next) within
 * `within` of it. Taking the latest candidates first finds a chain whenever one exists.
 */
function sequenceHits(hits: Hit[], steps: { min: number }[], within: number): Hit[] {
  const used = new Map<number, Hit>();
  const last = steps.length - 1;
  for (let end = 0; end < hits.length; end++) {
    const closing = hits[end] as Hit;
    if (closing.step !== last) continue;
    const chain: Hit[] = [];
    let boundary = end + 1; // candidates lie before this index
    let complete = true;
    for (let step = last; step >= 0 && complete; step--) {
      const need = (steps[step] as { min: number }).min;
      const picked: number[] = [];
      for (let i = boundary - 1; i >= 0 && picked.length < need; i--) {
        const h = hits[i] as Hit;
        if (closing.time - h.time > within) break;
        if (h.step === step && !chain.some((c) => c.seq === h.seq)) picked.push(i);
      }
      if (picked.length < need) complete = false;
      else {
        for (const i of picked) chain.push(hits[i] as Hit);
        boundary = Math.min(...picked);
        // The next step's events must come strictly earlier in time than this step's first.
        while (boundary > 0 && (hits[boundary - 1] as Hit).time === (hits[boundary] as Hit).time) boundary--;
      }
    }
    if (complete) for (const h of chain) used.set(h.seq * 64 + h.step, h);
  }
  const seen = new Set<number>();
  return [...used.values()].sort(byTime).filter((h) => !seen.has(h.seq) && seen.add(h.seq));
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
    const top = db.prepare('SELECT coalesce(max(rowid), 0) FROM events').pluck().get() as number;
    if (top <= this.lastRowid) return;
    // One pass over the new events for every rule: each search becomes a column saying whether
    // the event matches it (rules that share a search share its column). Reading the table once
    // instead of once per search is most of the cost on a large case.
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
    const tests = [...readers.keys()].map((search) => {
      const filter = searchFilter(search);
      return filter ? compileSqlite({ filter }, { ftsReady }) : { where: '1', params: [] };
    });
    const fields = [...new Set(consumers.flat().flatMap((c) => c.state.fields()))];
    const columns = fields.map(fieldExpression);
    const within = extra ? compileSqlite({ filter: extra }, { ftsReady }) : { where: '1', params: [] };
    const rows = db
      .prepare(
        // From the first event, `+rowid` keeps SQLite off the rowid range (all of it) so that a
        // time range can use its index; after that, the new rows are found by rowid.
        `SELECT rowid, event_id, time ${columns.map((c) => `, ${c.text}`).join('')}
                ${tests.map((t) => `, (${t.where})`).join('')}
           FROM events
          WHERE ${this.lastRowid === 0 ? '+rowid' : 'rowid'} > ? AND +rowid <= ? AND (${within.where})
            AND (${tests.map((t) => `(${t.where})`).join(' OR ')})`,
      )
      .raw()
      .iterate(
        ...columns.flatMap((c) => c.params),
        ...tests.flatMap((t) => t.params),
        this.lastRowid,
        top,
        ...within.params,
        ...tests.flatMap((t) => t.params),
      ) as Iterable<unknown[]>;
    const matchAt = 3 + columns.length;
    for (const row of rows) {
      const [seq, id, time] = row as [number, string, number];
      const valueOf = (field: string): unknown => row[3 + fields.indexOf(field)];
      consumers.forEach((list, i) => {
        if (row[matchAt + i]) for (const { state, step } of list) state.take(step, seq, id, time, valueOf);
      });
    }
    this.lastRowid = top;
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
