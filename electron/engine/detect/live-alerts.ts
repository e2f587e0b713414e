import type { Alert, AlertNotice, AlertRule } from '../../../shared/domain/alert.ts';
import { lastEventRowid, type CaseDb } from '../store/case-db.ts';
import { alertStates, alertSuppressions, isSuppressed } from '../store/alerts.ts';
import { deletionsMark } from '../store/delete-events.ts';
import { alertIdentity, sigmaIdentity } from './alert-rules.ts';
import { FIRST_GRACE_MICROS, longerGrace, LiveRuleState } from './live-rule-state.ts';
import type { Tally } from './live-scan.ts';
import { HitReader } from './read-hits.ts';
import { SigmaEngine, type LoadedRules } from './run-rules.ts';

type RaisedNotice = Omit<AlertNotice, 'state' | 'suppressed'>;

const seenIn = (tally: Tally): Pick<Alert, 'firstSeen' | 'lastSeen' | 'count'> => ({
  firstSeen: tally.first,
  lastSeen: tally.last,
  count: tally.count,
});

/**
 * Every rule kept running over a growing case (a tail, imports): each call reads only the events
 * added since the one before, and answers with the alerts those events raised or added to — the
 * ones worth a notification. Events present when watching began never count as new. The rules
 * keep what their windows need, not every event they matched: a tail of hours fits in memory.
 */
export class LiveAlerts {
  private readonly rules: readonly AlertRule[];
  private states: LiveRuleState[] = [];
  private readonly reader = new HitReader();
  private readonly sigma: SigmaEngine;
  /** The events the rules have read (0: none yet; the first look reads the case in time order). */
  private readThrough = 0;
  private deletions: unknown;
  /** The events up to this one were there at the last look: they are not news. */
  private after: number;
  private ownRebuilds = 0;

  constructor(rules: AlertRule[], sigma: Omit<LoadedRules, 'alertRules'>, after: number) {
    this.rules = rules;
    this.sigma = new SigmaEngine(sigma, { live: true });
    this.after = after;
  }

  newAlerts(db: CaseDb): AlertNotice[] {
    const after = this.after;
    const top = lastEventRowid(db);
    this.advance(db, top);
    this.sigma.advance(db);
    this.after = top;
    const isNews = (tally: Tally): boolean => tally.count > 0 && tally.newestSeq > after;
    const raised: RaisedNotice[] = [
      ...this.states.flatMap((state) =>
        state
          .changed()
          .filter((a) => isNews(a.tally))
          .map((a) => ({ ...alertIdentity(state.rule, a.values), ...seenIn(a.tally) })),
      ),
      ...this.sigma
        .touchedTallies()
        .filter((t) => isNews(t.tally))
        .map(({ rule, tally }) => ({ ...sigmaIdentity(rule), ...seenIn(tally) })),
    ];
    const states = alertStates(db);
    const suppressions = alertSuppressions(db);
    return raised.map((a) => {
      const state = states.get(a.key);
      return {
        ...a,
        ...(state ? { state } : {}),
        suppressed: isSuppressed(suppressions, a.ruleId, a.entity),
      };
    });
  }

  /** Hits and matches the rules keep (what the bound tests measure). */
  kept(): number {
    return this.states.reduce((n, s) => n + s.kept(), this.sigma.kept());
  }

  /** How many times a rule read the case again for an event it got too late (the tests' window on it). */
  get rebuilds(): number {
    return this.ownRebuilds + this.sigma.rebuilds;
  }

  private advance(db: CaseDb, top: number): void {
    // Deleted events take their hits with them: start again from the first event.
    const deletions = deletionsMark(db);
    if (deletions !== this.deletions) {
      this.deletions = deletions;
      this.readThrough = 0;
    }
    if (this.readThrough === 0) {
      this.states = this.rules.map((rule) => new LiveRuleState(rule, FIRST_GRACE_MICROS));
      this.readInTimeOrder(db, this.states, top);
    } else if (top > this.readThrough) {
      this.reader.read(db, this.states, { after: this.readThrough, through: top });
      // Rules that got an event too late to place: each again, from the case in time order.
      const late = this.states.filter((s) => s.lateBy > 0);
      if (late.length > 0) {
        this.ownRebuilds += late.length;
        const again = new Map(
          late.map((s) => [s, new LiveRuleState(s.rule, longerGrace(s.graceMicros, s.lateBy))]),
        );
        this.states = this.states.map((s) => again.get(s) ?? s);
        this.readInTimeOrder(db, [...again.values()], top);
      }
    }
    this.readThrough = top;
  }

  private readInTimeOrder(db: CaseDb, states: readonly LiveRuleState[], top: number): void {
    this.reader.read(db, states, {
      after: 0,
      through: top,
      inTimeOrder: (time) => states.forEach((s) => s.settle(time)),
    });
  }
}
