import type { Alert, AlertRule, AlertsReport } from '../../../shared/domain/alert.ts';
import type { RuleResult } from '../../../shared/domain/detection.ts';
import { builtInRules } from '../../../shared/domain/detection-settings.ts';
import type { CaseDb } from '../store/case-db.ts';
import { alertStates, alertSuppressions, detectionSettings, isSuppressed } from '../store/alerts.ts';
import { AlertEngine, sigmaIdentity, type RaisedAlert } from './alert-rules.ts';
import { runRules, type LoadedRules } from './run-rules.ts';
import { MAX_SELECTED_EVENTS } from '../../../shared/domain/query.ts';

/** The rules a case is evaluated with: the built-in ones at the case's thresholds, then the folders'. */
export function caseAlertRules(db: CaseDb, loaded: LoadedRules, builtIn = true): AlertRule[] {
  return [...(builtIn ? builtInRules(detectionSettings(db)) : []), ...loaded.alertRules];
}

/** A Sigma rule's matches as one alert (Sigma rules say nothing of entities). */
export function sigmaAlert(db: CaseDb, result: RuleResult): RaisedAlert {
  const timeOf = db.prepare('SELECT time FROM events WHERE rowid = ?').pluck();
  return {
    ...sigmaIdentity(result),
    firstSeen: timeOf.get(result.seqs[0]) as number,
    lastSeen: timeOf.get(result.seqs[result.seqs.length - 1]) as number,
    count: result.matches,
    seqs: result.seqs.slice(0, MAX_SELECTED_EVENTS),
    // In time order already; the times themselves are not needed past this point.
    events: result.eventIds.map((id, i) => ({ id, seq: result.seqs[i] ?? 0, time: 0 })),
  };
}

export interface EvaluatedRules {
  raised: RaisedAlert[];
  results: RuleResult[];
  unsupported: AlertsReport['unsupported'];
  elapsedMs: number;
}

/**
 * Every rule over the whole case: Sigma rules in one pass (run-rules.ts), Auditscope's rules
 * through their searches (alert-rules.ts). Per rule, what it matched; the alerts it raised.
 */
export function evaluateRules(
  db: CaseDb,
  loaded: LoadedRules,
  options: { builtIn?: boolean } = {},
): EvaluatedRules {
  const started = Date.now();
  const sigma = runRules(db, loaded);
  const engine = new AlertEngine(caseAlertRules(db, loaded, options.builtIn ?? true));
  engine.advance(db);
  const own = engine.alerts();
  const results: RuleResult[] = [
    ...sigma.rules,
    ...engine.ruleCounts().map(({ rule, matched }) => {
      const events = own
        .filter((a) => a.ruleId === rule.id)
        .flatMap((a) => a.events)
        .sort((a, b) => a.time - b.time || a.seq - b.seq);
      return {
        id: rule.id,
        title: rule.title,
        level: rule.level,
        file: rule.file,
        kind: rule.type,
        // For a rule of counts, the events of its alerts; what its search matched alone is no finding.
        matches: rule.type === 'event' ? matched : events.length,
        eventIds: events.map((e) => e.id),
        seqs: events.map((e) => e.seq),
      };
    }),
  ];
  return {
    raised: [...sigma.rules.filter((r) => r.matches > 0).map((r) => sigmaAlert(db, r)), ...own],
    results,
    unsupported: sigma.unsupported,
    elapsedMs: Date.now() - started,
  };
}

/** The alerts list: every alert with the analyst's decision and whether it is suppressed. */
export function alertsReport(db: CaseDb, loaded: LoadedRules): AlertsReport {
  const evaluated = evaluateRules(db, loaded);
  const states = alertStates(db);
  const suppressions = alertSuppressions(db);
  const alerts: Alert[] = evaluated.raised.map(({ events: _events, ...alert }) => {
    const state = states.get(alert.key);
    return {
      ...alert,
      ...(state ? { state } : {}),
      suppressed: isSuppressed(suppressions, alert.ruleId, alert.entity),
    };
  });
  return {
    alerts,
    suppressions,
    rules: evaluated.results.map(({ id, title, level, file, kind, matches }) => ({
      id,
      title,
      level,
      file,
      kind,
      matches,
    })),
    unsupported: evaluated.unsupported,
    elapsedMs: evaluated.elapsedMs,
  };
}
