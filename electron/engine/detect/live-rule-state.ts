import type { AlertRule } from '../../../shared/domain/alert.ts';
import { groupKey, hitValues, ruleFields, ruleSearches } from './alert-rules.ts';
import { scanOrder } from './group-scan.ts';
import { streamScan, type LiveHit, type StreamScan, type Tally } from './live-scan.ts';
import type { HitTaker } from './read-hits.ts';

/**
 * How far behind newer events an event can arrive and still be placed among them without
 * reading the case again (see LiveRuleState), to begin with: a minute covers writers that commit
 * out of order. A rule that gets events later than that is built again with a grace that covers
 * them (sources like CloudTrail deliver minutes late), up to half an hour: what a rule keeps
 * grows with the events of its grace period, so later events (an import of last week's logs)
 * have the rule read the case again each time instead.
 */
export const FIRST_GRACE_MICROS = 60e6;
const LONGEST_GRACE_MICROS = 30 * 60e6;

/** The grace a rule is built again with after an event came `lateBy` behind the newest. */
export const longerGrace = (grace: number, lateBy: number): number =>
  Math.min(LONGEST_GRACE_MICROS, Math.max(2 * grace, Math.ceil(1.5 * lateBy)));

interface LiveGroup {
  values: string[];
  /** The scan of the group's settled hits: the ones before the horizon, read in scan order. */
  settled: StreamScan;
  /** A hit at or before this place can no longer be placed among the settled ones. */
  lateUpTo?: LiveHit;
  /** The hits after the horizon, not settled yet; in scan order once `sorted`. */
  unsettled: LiveHit[];
  sorted: boolean;
  /**
   * The settled scan with the unsettled hits read too, kept while they come in order: a look
   * then reads only the new hits. A hit out of order drops it; the next look starts it again.
   */
  ahead?: StreamScan;
}

/** A group's unsettled hits, sorted first if one came out of order. */
function inScanOrder(group: LiveGroup): LiveHit[] {
  if (!group.sorted) {
    group.unsettled.sort(scanOrder);
    group.sorted = true;
  }
  return group.unsettled;
}

/** A group's alert as a tail's notifications need it. */
export interface LiveGroupAlert {
  values: string[];
  tally: Tally;
}

/**
 * One rule over a live tail, in memory that grows with the rule's windows and the events of the
 * grace period, not with the length of the tail (AlertRuleState, for a whole case, keeps every
 * hit). Events arrive out of time order (ids commit out of order; files come late): the hits of
 * the last `graceMicros` stay unsettled, and each look reads them on a copy of the settled scan,
 * so alerts come at once and are exactly those of all the hits in time order. A hit behind its
 * group's settled ones cannot be placed any more: the rule says how late it was (`lateBy`), and
 * its owner builds it again from the case with a longer grace (LiveAlerts).
 */
export class LiveRuleState implements HitTaker {
  readonly rule: AlertRule;
  readonly graceMicros: number;
  /** How far behind the newest event came the latest hit too late to place (0: none did). */
  lateBy = 0;
  private readonly groups = new Map<string, LiveGroup>();
  private readonly dirty = new Set<string>();
  private newest = -Infinity;

  private readonly nowMicros: () => number;
  /** Counting events needs no order: an event rule takes its hits as they come. */
  private readonly ordered: boolean;

  constructor(rule: AlertRule, graceMicros: number, nowMicros = (): number => Date.now() * 1000) {
    this.rule = rule;
    this.graceMicros = graceMicros;
    this.nowMicros = nowMicros;
    this.ordered = rule.type !== 'event';
  }

  searches(): string[] {
    return ruleSearches(this.rule);
  }

  fields(): string[] {
    return ruleFields(this.rule);
  }

  take(step: number, seq: number, _id: string, time: number, valueOf: (field: string) => unknown): void {
    const read = hitValues(this.rule, valueOf);
    if (!read) return;
    const key = groupKey(read.values);
    let group = this.groups.get(key);
    if (!group)
      this.groups.set(
        key,
        (group = { values: read.values, settled: streamScan(this.rule), unsettled: [], sorted: true }),
      );
    const hit: LiveHit = {
      seq,
      time,
      step,
      ...(read.distinct === undefined ? {} : { distinct: read.distinct }),
    };
    if (this.ordered && group.lateUpTo && scanOrder(hit, group.lateUpTo) <= 0) {
      this.lateBy = Math.max(this.lateBy, this.newest - time);
      return;
    }
    const last = group.unsettled[group.unsettled.length - 1];
    if (last && scanOrder(last, hit) > 0) {
      group.sorted = false;
      group.ahead = undefined;
    } else group.ahead?.push(hit);
    group.unsettled.push(hit);
    this.dirty.add(key);
    // An event dated in the future settles nothing early: the horizon never passes the clock.
    if (time > this.newest) this.newest = Math.min(time, this.nowMicros());
  }

  /**
   * Settles every group's hits before the horizon (and before `limit`: a read in time order says
   * how far it has come). Groups quiet for longer than the rule's window keep only their tally.
   */
  settle(limit = Infinity): void {
    const horizon = Math.min(limit, this.newest - this.graceMicros);
    const within = this.rule.within ?? 0;
    for (const group of this.groups.values()) {
      this.settleGroup(group, horizon);
      const lastSettled = group.lateUpTo;
      if (group.unsettled.length > 0 || !lastSettled || lastSettled.time + within >= horizon) continue;
      // No hit still to come can share a window with the settled ones (an earlier one would come
      // too late): they can go. Hits up to `within` after the last are too late from now on.
      if (group.settled.kept() === 0) continue;
      group.settled = streamScan(this.rule, group.settled.tally);
      group.lateUpTo = { seq: Infinity, step: Infinity, time: lastSettled.time + within };
    }
  }

  private settleGroup(group: LiveGroup, horizon: number): void {
    if (group.unsettled.length === 0) return;
    const unsettled = inScanOrder(group);
    let n = 0;
    while (n < unsettled.length && (unsettled[n] as LiveHit).time < horizon)
      group.settled.push(unsettled[n++] as LiveHit);
    if (n === 0) return;
    group.lateUpTo = unsettled[n - 1];
    group.unsettled = unsettled.slice(n);
    // Nothing left ahead of the settled scan: it is the group's scan again.
    if (group.unsettled.length === 0) group.ahead = undefined;
  }

  /** The alerts of the groups that got hits since the last look (those that hold). */
  changed(): LiveGroupAlert[] {
    this.settle();
    const alerts: LiveGroupAlert[] = [];
    for (const key of this.dirty) {
      const group = this.groups.get(key) as LiveGroup;
      const scan = group.unsettled.length === 0 ? group.settled : this.ahead(group);
      if (scan.tally.count > 0) alerts.push({ values: group.values, tally: scan.tally });
    }
    this.dirty.clear();
    return alerts;
  }

  private ahead(group: LiveGroup): StreamScan {
    if (group.ahead) return group.ahead;
    const ahead = group.settled.copy();
    for (const hit of inScanOrder(group)) ahead.push(hit);
    return (group.ahead = ahead);
  }

  /** Hits kept, settled or not (what the bound tests measure). */
  kept(): number {
    let n = 0;
    for (const group of this.groups.values())
      n += group.settled.kept() + group.unsettled.length + (group.ahead?.kept() ?? 0);
    return n;
  }
}
