import type Database from 'better-sqlite3';
import {
  AlertStatus,
  sameEntity,
  type AlertDecision,
  type AlertEntity,
  type AlertState,
  type AlertSuppression,
} from '../../../shared/domain/alert.ts';
import { DEFAULT_DETECTION_SETTINGS, DetectionSettings } from '../../../shared/domain/detection-settings.ts';
import type { Journal } from './journal.ts';
import { hasTable } from './case-db.ts';

const SETTINGS_KEY = 'detection_settings';

/** Records an analyst's decision on an alert (acknowledged, resolved, or open again), journaled. */
export function decideAlert(
  db: Database.Database,
  journal: Journal,
  decision: AlertDecision,
  analyst: string,
  now = Date.now(),
): AlertState {
  const at = now * 1000;
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO alert_states (alert_key, status, note, analyst, at, last_seen) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (alert_key) DO UPDATE SET status = excluded.status, note = excluded.note,
         analyst = excluded.analyst, at = excluded.at, last_seen = excluded.last_seen`,
    ).run(decision.key, decision.status, decision.note, analyst, at, decision.lastSeen);
    journal.append(
      `alert.${decision.status}`,
      {
        key: decision.key,
        rule: decision.ruleId,
        entity: decision.entity ?? null,
        note: decision.note,
        analyst,
      },
      now,
    );
    return { status: decision.status, note: decision.note, analyst, at, lastSeen: decision.lastSeen };
  })();
}

/** Every decision of the case, by alert key (none in a case from before alerts). */
export function alertStates(db: Database.Database): Map<string, AlertState> {
  if (!hasTable(db, 'alert_states')) return new Map();
  const rows = db
    .prepare('SELECT alert_key, status, note, analyst, at, last_seen FROM alert_states')
    .all() as {
    alert_key: string;
    status: string;
    note: string;
    analyst: string;
    at: number;
    last_seen: number;
  }[];
  return new Map(
    rows.flatMap((r) => {
      const status = AlertStatus.safeParse(r.status);
      return status.success
        ? [
            [
              r.alert_key,
              { status: status.data, note: r.note, analyst: r.analyst, at: r.at, lastSeen: r.last_seen },
            ],
          ]
        : [];
    }),
  );
}

const entityKey = (entity: AlertEntity): string =>
  JSON.stringify({
    fields: entity.fields.map((f) => f.toLowerCase()),
    values: entity.values.map((v) => v.toLowerCase()),
  });

/** Stops alerting on a rule for one entity (an IP, an account), with why; journaled. */
export function suppressAlerts(
  db: Database.Database,
  journal: Journal,
  suppression: { ruleId: string; entity: AlertEntity; note: string },
  analyst: string,
  now = Date.now(),
): AlertSuppression {
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO alert_suppressions (rule_id, entity, shown, note, analyst, at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (rule_id, entity) DO UPDATE SET note = excluded.note, analyst = excluded.analyst, at = excluded.at`,
    ).run(
      suppression.ruleId,
      entityKey(suppression.entity),
      JSON.stringify(suppression.entity),
      suppression.note,
      analyst,
      now * 1000,
    );
    journal.append(
      'alert.suppressed',
      { rule: suppression.ruleId, entity: suppression.entity, note: suppression.note, analyst },
      now,
    );
    return { ...suppression, analyst, at: now * 1000 };
  })();
}

export function unsuppressAlerts(
  db: Database.Database,
  journal: Journal,
  target: { ruleId: string; entity: AlertEntity },
  analyst: string,
): void {
  db.transaction(() => {
    const removed = db
      .prepare('DELETE FROM alert_suppressions WHERE rule_id = ? AND entity = ?')
      .run(target.ruleId, entityKey(target.entity)).changes;
    if (removed > 0)
      journal.append('alert.unsuppressed', { rule: target.ruleId, entity: target.entity, analyst });
  })();
}

export function alertSuppressions(db: Database.Database): AlertSuppression[] {
  if (!hasTable(db, 'alert_suppressions')) return [];
  const rows = db
    .prepare('SELECT rule_id, shown, note, analyst, at FROM alert_suppressions ORDER BY at')
    .all() as { rule_id: string; shown: string; note: string; analyst: string; at: number }[];
  return rows.map((r) => ({
    ruleId: r.rule_id,
    entity: JSON.parse(r.shown) as AlertEntity,
    note: r.note,
    analyst: r.analyst,
    at: r.at,
  }));
}

export function isSuppressed(
  suppressions: readonly AlertSuppression[],
  ruleId: string,
  entity: AlertEntity | undefined,
): boolean {
  return (
    entity !== undefined && suppressions.some((s) => s.ruleId === ruleId && sameEntity(s.entity, entity))
  );
}

/** The built-in rules' thresholds for this case (the defaults until someone changes them). */
export function detectionSettings(db: Database.Database): DetectionSettings {
  const text = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(SETTINGS_KEY) as
    string | undefined;
  if (text === undefined) return DEFAULT_DETECTION_SETTINGS;
  const parsed = DetectionSettings.safeParse({
    ...DEFAULT_DETECTION_SETTINGS,
    ...(JSON.parse(text) as object),
  });
  return parsed.success ? parsed.data : DEFAULT_DETECTION_SETTINGS;
}

export function setDetectionSettings(
  db: Database.Database,
  journal: Journal,
  settings: DetectionSettings,
): DetectionSettings {
  return db.transaction(() => {
    db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(SETTINGS_KEY, JSON.stringify(settings));
    journal.append('detection.settings', settings);
    return settings;
  })();
}
