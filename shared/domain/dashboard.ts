import { z } from 'zod';
import { Alert } from './alert.ts';
import { RuleLevel } from './detection.ts';
import { Filter } from './query.ts';

/**
 * The periods the dashboard looks back over (in days), up to the case's latest event; `all` is
 * the whole case (evidence collected after the fact often spans years).
 */
export const DASHBOARD_RANGES = { '24h': 1, '7d': 7, '30d': 30, '90d': 90, all: undefined } as const;
export type DashboardRange = keyof typeof DASHBOARD_RANGES;

export const DashboardQuery = z.object({
  /** Epoch µs; the previous period is the same length just before `from`. */
  from: z.number().int(),
  to: z.number().int(),
  /** An IANA zone (or 'UTC'): working hours are local. */
  zone: z.string().min(1).max(100),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

const Count = z.object({ value: z.string(), count: z.number().int() });
const Breakdown = z.array(Count.extend({ previous: z.number().int() }));
export type Breakdown = z.infer<typeof Breakdown>;

/** One built-in rule's alerts within the period: a dashboard card. */
export const RuleCard = z.object({
  ruleId: z.string(),
  title: z.string(),
  level: RuleLevel,
  description: z.string().optional(),
  /** Events of all its alerts. */
  events: z.number().int(),
  alerts: z.array(Alert),
});
export type RuleCard = z.infer<typeof RuleCard>;

export const Dashboard = z.object({
  from: z.number().int(),
  to: z.number().int(),
  total: z.number().int(),
  previousTotal: z.number().int(),
  byCategory: Breakdown,
  byOutcome: Breakdown,
  bySource: Breakdown,
  top: z.object({
    actor: z.array(Count),
    ip: z.array(Count),
    action: z.array(Count),
    target: z.array(Count),
  }),
  /** Actors and IPs first seen in the period (never before it in this case), the busiest first. */
  newActors: z.object({ total: z.number().int(), values: z.array(Count) }),
  newIps: z.object({ total: z.number().int(), values: z.array(Count) }),
  offHours: z.object({
    count: z.number().int(),
    /** Events per local hour of the day, 0–23, in the period. */
    byHour: z.array(z.number().int()),
    /** The filter that shows them: a time range per night that has any. */
    filter: Filter,
  }),
  /** Events per day over the last 7 days of the period and the 7 before. */
  weeks: z.object({
    dayStarts: z.array(z.number().int()),
    thisWeek: z.array(z.number().int()),
    lastWeek: z.array(z.number().int()),
  }),
  cards: z.array(RuleCard),
  elapsedMs: z.number(),
});
export type Dashboard = z.infer<typeof Dashboard>;
