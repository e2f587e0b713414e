import { z } from 'zod';
import { Alert } from './alert.ts';
import { RuleLevel } from './detection.ts';
import type { Filter } from './query.ts';
import { offHoursWindows } from '../lib/zoned-time.ts';

/** The ranges the dashboard looks back over, up to the case's latest event. */
export const DASHBOARD_RANGES = { '24h': 1, '7d': 7, '30d': 30, '90d': 90 } as const;
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

/** The filter "outside working hours" for a period: one time range per night, exact across DST. */
export function offHoursFilter(from: number, to: number, zone: string, start: number, end: number): Filter {
  const windows = offHoursWindows(from, to, zone, start, end);
  if (windows.length === 0) return { kind: 'time', from, to: from };
  return { kind: 'or', children: windows.map((w) => ({ kind: 'time', from: w.from, to: w.to })) };
}
