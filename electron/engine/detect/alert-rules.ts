import { createHash } from 'node:crypto';
import type { Alert, AlertRule } from '../../../shared/domain/alert.ts';
import type { RuleResult } from '../../../shared/domain/detection.ts';
import { MAX_SELECTED_EVENTS, type Filter } from '../../../shared/domain/query.ts';
import { lastEventRowid, type CaseDb } from '../store/case-db.ts';
import { deletionsMark } from '../store/delete-events.ts';
import { groupScan, scanOrder, type GroupScan, type Hit } from './group-scan.ts';
import { HitReader, type HitTaker } from './read-hits.ts';

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

export function alertKey(ruleId: string, values: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([ruleId, values.map((v) => v.toLowerCase())]))
    .digest('hex')
    .slice(0, 24);
}

/**
 * What a rule reads of one event its search matched: the values it groups by (as written) and the
 * value it counts (lower-cased); none where the rule passes the event by.
 */
export function hitValues(
  rule: AlertRule,
  valueOf: (field: string) => unknown,
): { values: string[]; distinct?: string } | undefined {
  const values = rule.groupBy.map(valueOf);
  const missing = (v: unknown): boolean => v === null || v === undefined || v === '';
  // "Five failures from one IP" says nothing about events without an IP; a single event still counts.
  if (rule.type !== 'event' && values.some(missing)) return undefined;
  const counted = rule.distinct ? valueOf(rule.distinct) : undefined;
  if (rule.distinct && missing(counted)) return undefined;
  return {
    values: values.map((v) => (missing(v) ? NONE : String(v))),
    ...(rule.distinct ? { distinct: String(counted).toLowerCase() } : {}),
  };
}

/** The searches a rule reads events with: one, or one per sequence step. */
export const ruleSearches = (rule: AlertRule): string[] =>
  rule.steps?.map((s) => s.search) ?? [rule.search ?? ''];

/** The fields whose values a rule needs of each event. */
export const ruleFields = (rule: AlertRule): string[] => [
  ...rule.groupBy,
  ...(rule.distinct ? [rule.distinct] : []),
];

/** Which alert a group of a rule raises: its key, the rule, and the entity the group is about. */
export function alertIdentity(
  rule: AlertRule,
  values: string[],
): Pick<Alert, 'key' | 'ruleId' | 'title' | 'level' | 'ruleKind' | 'entity'> {
  const grouped = rule.groupBy.length > 0;
  return {
    key: alertKey(rule.id, grouped ? values : []),
    ruleId: rule.id,
    title: rule.title,
    level: rule.level,
    ruleKind: rule.type,
    ...(grouped ? { entity: { fields: rule.groupBy, values } } : {}),
  };
}

/** Which alert a Sigma rule raises: one for the rule (Sigma rules say nothing of entities). */
export function sigmaIdentity(
  rule: Pick<RuleResult, 'id' | 'title' | 'level' | 'kind'>,
): Pick<Alert, 'key' | 'ruleId' | 'title' | 'level' | 'ruleKind'> {
  return {
    key: alertKey(rule.id, []),
    ruleId: rule.id,
    title: rule.title,
    level: rule.level,
    ruleKind: rule.kind,
  };
}

/** The key of a rule's group: its values, compared without case. */
export const groupKey = (values: readonly string[]): string =>
  JSON.stringify(values.map((v) => v.toLowerCase()));

/**
 * The state of one rule over a growing case: every hit so far, by group. Alerts are a function of
 * the set of hits alone (windows are found in time order, whatever order events arrived in), so
 * a case evaluated at once and the same events evaluated as they arrive give the same alerts.
 */
export class AlertRuleState implements HitTaker {
  readonly rule: AlertRule;
  private readonly groups = new Map<string, Group>();
  private readonly raised = new Map<string, RaisedAlert>();
  private readonly dirty = new Set<string>();
  /** Events the rule's searches matched (for a sequence: matched any step). */
  matched = 0;

  constructor(rule: AlertRule) {
    this.rule = rule;
  }

  searches(): string[] {
    return ruleSearches(this.rule);
  }

  fields(): string[] {
    return ruleFields(this.rule);
  }

  private readonly sequenceSeen = new Set<number>();

  /** One event that search number `step` matched, with the values of the fields the rule needs. */
  take(step: number, seq: number, id: string, time: number, valueOf: (field: string) => unknown): void {
    const read = hitValues(this.rule, valueOf);
    if (!read) return;
    if (!this.rule.steps) this.matched++;
    else if (!this.sequenceSeen.has(seq)) {
      this.sequenceSeen.add(seq);
      this.matched++;
    }
    this.add({ seq, id, time, step, ...read });
  }

  private add(hit: Hit): void {
    const key = groupKey(hit.values);
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

  private recompute(): void {
    for (const key of this.dirty) {
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
  }

  private toAlert(values: string[], hits: readonly Hit[]): RaisedAlert {
    return {
      ...alertIdentity(this.rule, values),
      firstSeen: (hits[0] as Hit).time,
      lastSeen: (hits[hits.length - 1] as Hit).time,
      count: hits.length,
      seqs: hits.slice(0, MAX_SELECTED_EVENTS).map((h) => h.seq),
      // The hits themselves (each is an EventRef): groups grow at every import, and copying every
      // hit of every changed group at each look made it quadratic.
      events: hits,
    };
  }
}

/**
 * Auditscope's rules over a case, at once or import after import: `advance` reads only the events
 * added since the last call (rowids only grow, deletions restart it). It keeps every hit, to list
 * every alert's events; a live tail's notifications need less, in bounded memory (LiveAlerts).
 */
export class AlertEngine {
  private readonly rules: readonly AlertRule[];
  private states: AlertRuleState[];
  private lastRowid = 0;
  private deletions: unknown;
  private readonly reader = new HitReader();

  constructor(rules: readonly AlertRule[]) {
    this.rules = rules;
    this.states = rules.map((rule) => new AlertRuleState(rule));
  }

  /** Evaluates the events added since the last call; `extra` narrows every search (a time range). */
  advance(db: CaseDb, extra?: Filter): void {
    // Deleted events take their hits with them: start again from the first event.
    const deletions = deletionsMark(db);
    if (deletions !== this.deletions) {
      this.deletions = deletions;
      this.states = this.rules.map((rule) => new AlertRuleState(rule));
      this.lastRowid = 0;
    }
    const top = lastEventRowid(db);
    if (top <= this.lastRowid) return;
    this.reader.read(db, this.states, { after: this.lastRowid, through: top, extra });
    this.lastRowid = top;
  }

  alerts(): RaisedAlert[] {
    return this.states.flatMap((s) => s.alerts());
  }

  /** Per rule: how many events its searches matched. */
  ruleCounts(): { rule: AlertRule; matched: number }[] {
    return this.states.map((s) => ({ rule: s.rule, matched: s.matched }));
  }
}
