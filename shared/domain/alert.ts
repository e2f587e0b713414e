import { z } from 'zod';
import { RuleLevel } from './detection.ts';

/**
 * Auditscope's own alert rules (built in, or YAML in a rules folder; see
 * resources/rules/README.md). Each names the events it is about with a search in the search box's
 * syntax, so what a rule counts is exactly what the same search shows in Logs.
 * - `event`: every matching event;
 * - `threshold`: `threshold` or more matching events of one group within `within`;
 * - `distinct`: `threshold` or more distinct values of `distinct` in one group within `within`;
 * - `sequence`: the steps in order (each `min` times or more), one group, within `within`.
 */
export const ALERT_RULE_TYPES = ['event', 'threshold', 'distinct', 'sequence'] as const;
export const AlertRuleType = z.enum(ALERT_RULE_TYPES);
export type AlertRuleType = z.infer<typeof AlertRuleType>;

export const SequenceStep = z.object({ search: z.string().min(1), min: z.number().int().min(1) });
export type SequenceStep = z.infer<typeof SequenceStep>;

export const AlertRule = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  level: RuleLevel,
  description: z.string().optional(),
  type: AlertRuleType,
  /** The events the rule is about (event, threshold, distinct). */
  search: z.string().optional(),
  /** Fields whose values make one group (one alert per group); none: one alert for the rule. */
  groupBy: z.array(z.string().min(1)),
  threshold: z.number().int().min(1).optional(),
  /** The window, in microseconds. */
  within: z.number().int().positive().optional(),
  distinct: z.string().optional(),
  steps: z.array(SequenceStep).optional(),
  /** Where the rule was read from ("built-in" for Auditscope's own). */
  file: z.string(),
});
export type AlertRule = z.infer<typeof AlertRule>;

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export const AlertStatus = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof AlertStatus>;

/** The values of a rule's group-by fields that one alert is about (the IP, the account…). */
export const AlertEntity = z.object({ fields: z.array(z.string()), values: z.array(z.string()) });
export type AlertEntity = z.infer<typeof AlertEntity>;

/** What an analyst decided about an alert: kept with the case, journaled. */
export const AlertState = z.object({
  status: AlertStatus,
  note: z.string(),
  analyst: z.string(),
  /** When it was decided (epoch µs). */
  at: z.number().int(),
  /** The alert's last event when it was decided: later events mean something new happened. */
  lastSeen: z.number().int(),
});
export type AlertState = z.infer<typeof AlertState>;

export const Alert = z.object({
  /** Stable across runs: the rule's id and the entity, hashed. */
  key: z.string(),
  ruleId: z.string(),
  title: z.string(),
  level: RuleLevel,
  ruleKind: z.enum(['sigma', 'sigma-correlation', ...ALERT_RULE_TYPES]),
  entity: AlertEntity.optional(),
  firstSeen: z.number().int(),
  lastSeen: z.number().int(),
  /** How many events the alert holds. */
  count: z.number().int(),
  /** The events' positions in the case, in time order (the first MAX_SELECTED_EVENTS). */
  seqs: z.array(z.number().int()),
  state: AlertState.optional(),
  /** A suppression covers this rule and entity: listed apart, never notified. */
  suppressed: z.boolean(),
});
export type Alert = z.infer<typeof Alert>;

/**
 * An alert as new events raised or grew it, for a notification: without its events (a live tail
 * re-sends its growing alerts after every batch; Detections lists them in full).
 */
export const AlertNotice = Alert.omit({ seqs: true });
export type AlertNotice = z.infer<typeof AlertNotice>;

/** "Stop alerting on this rule for this entity", with why. */
export const AlertSuppression = z.object({
  ruleId: z.string(),
  entity: AlertEntity,
  note: z.string(),
  analyst: z.string(),
  at: z.number().int(),
});
export type AlertSuppression = z.infer<typeof AlertSuppression>;

export const AlertDecision = z.object({
  key: z.string().min(1).max(200),
  status: AlertStatus,
  note: z.string().max(100_000),
  /** The alert's last event as the analyst saw it. */
  lastSeen: z.number().int(),
  /** For the journal: which rule and entity the key stands for. */
  ruleId: z.string().max(1000),
  entity: AlertEntity.optional(),
});
export type AlertDecision = z.infer<typeof AlertDecision>;

/** The whole alerts list of a case, with what every rule found and what could not run. */
export const AlertsReport = z.object({
  alerts: z.array(Alert),
  suppressions: z.array(AlertSuppression),
  rules: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      level: RuleLevel,
      file: z.string(),
      kind: Alert.shape.ruleKind,
      matches: z.number().int(),
    }),
  ),
  unsupported: z.array(
    z.object({
      file: z.string(),
      id: z.string().optional(),
      title: z.string().optional(),
      reason: z.string(),
    }),
  ),
  elapsedMs: z.number(),
});
export type AlertsReport = z.infer<typeof AlertsReport>;

/** How an entity reads in a list: "ip 203.0.113.7", "actor alice · ip 10.0.0.1". */
export function entityLabel(entity: AlertEntity | undefined): string {
  if (!entity) return '';
  return entity.fields.map((f, i) => `${f} ${entity.values[i] ?? ''}`).join(' · ');
}

export function sameEntity(a: AlertEntity | undefined, b: AlertEntity | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.fields.length === b.fields.length &&
    a.fields.every((f, i) => f.toLowerCase() === b.fields[i]?.toLowerCase()) &&
    a.values.every((v, i) => v.toLowerCase() === b.values[i]?.toLowerCase())
  );
}
