import type { AlertNotice, AlertRule } from '../../../shared/domain/alert.ts';
import { lastEventRowid, type CaseDb } from '../store/case-db.ts';
import { alertStates, alertSuppressions, isSuppressed } from '../store/alerts.ts';
import { AlertEngine, type RaisedAlert } from './alert-rules.ts';
import { sigmaAlert } from './evaluate-alerts.ts';
import { SigmaEngine, type LoadedRules } from './run-rules.ts';

/**
 * Every rule kept running over a growing case (a tail, imports): each call reads only the events
 * added since the one before, and answers with the alerts those events raised or added to — the
 * ones worth a notification. Events present when watching began never count as new.
 */
export class LiveAlerts {
  private readonly own: AlertEngine;
  private readonly sigma: SigmaEngine;
  private after: number;

  constructor(rules: AlertRule[], sigma: Omit<LoadedRules, 'alertRules'>, after: number) {
    this.own = new AlertEngine(rules);
    this.sigma = new SigmaEngine(sigma);
    this.after = after;
  }

  newAlerts(db: CaseDb): AlertNotice[] {
    const after = this.after;
    const top = lastEventRowid(db);
    this.own.advance(db);
    this.sigma.advance(db);
    this.after = top;
    const isFresh = (seq: number): boolean => seq > after && seq <= top;
    const raised: RaisedAlert[] = [
      ...this.own.changedAlerts().filter((a) => a.events.some((e) => isFresh(e.seq))),
      ...this.sigma
        .reportTouched()
        .rules.filter((r) => r.matches > 0 && r.seqs.some(isFresh))
        .map((r) => sigmaAlert(db, r)),
    ];
    const states = alertStates(db);
    const suppressions = alertSuppressions(db);
    return raised.map(({ events: _events, seqs: _seqs, ...a }) => {
      const state = states.get(a.key);
      return {
        ...a,
        ...(state ? { state } : {}),
        suppressed: isSuppressed(suppressions, a.ruleId, a.entity),
      };
    });
  }
}
