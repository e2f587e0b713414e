import {
  type Breakdown,
  type Dashboard,
  type DashboardQuery,
  type RuleCard,
} from '../../../shared/domain/dashboard.ts';
import { builtInRules } from '../../../shared/domain/detection-settings.ts';
import { isKnownZone, localHourOf, offHoursWindows } from '../../../shared/lib/zoned-time.ts';
import type { CaseDb } from '../store/case-db.ts';
import { alertStates, alertSuppressions, detectionSettings, isSuppressed } from '../store/alerts.ts';
import { AlertEngine } from '../detect/alert-rules.ts';
import { facetColumns, fieldExpression } from './case-queries.ts';

const DAY = 86_400_000_000;
const TOP = 10;

const TOP_FIELDS = ['actor', 'ip', 'action', 'target'] as const;

/**
 * Totals, breakdowns against the previous period, and the top values of the period, in one pass
 * over its events (reading a large case once costs less than a GROUP BY per figure). Values are
 * counted case-insensitively, each event by its field's first filled column, as in Logs.
 */
function tallies(
  db: CaseDb,
  query: DashboardQuery,
): Pick<Dashboard, 'total' | 'previousTotal' | 'byCategory' | 'byOutcome' | 'bySource' | 'top'> {
  const span = query.to - query.from;
  const expressions = TOP_FIELDS.map((f) => fieldExpression(f));
  const rows = db
    .prepare(
      `SELECT time, category, outcome, source ${expressions.map((e) => `, ${e.text}`).join('')}
         FROM events WHERE time >= ? AND time < ?`,
    )
    .raw();
  const breakdown = { category: new Map(), outcome: new Map(), source: new Map() } as Record<
    'category' | 'outcome' | 'source',
    Map<string, [number, number]>
  >;
  const top = TOP_FIELDS.map(() => new Map<string, { value: string; count: number }>());
  let total = 0;
  let previousTotal = 0;
  for (const row of rows.iterate(
    ...expressions.flatMap((e) => e.params),
    query.from - span,
    query.to,
  ) as Iterable<unknown[]>) {
    const current = (row[0] as number) >= query.from;
    if (current) total++;
    else previousTotal++;
    (['category', 'outcome', 'source'] as const).forEach((field, i) => {
      const value = row[1 + i] as string;
      const counts = breakdown[field].get(value) ?? [0, 0];
      counts[current ? 0 : 1]++;
      breakdown[field].set(value, counts);
    });
    if (!current) continue;
    top.forEach((counts, i) => {
      const value = row[4 + i];
      if (value === null || value === undefined || value === '') return;
      const key = String(value).toLowerCase();
      const known = counts.get(key);
      if (known) known.count++;
      else counts.set(key, { value: String(value), count: 1 });
    });
  }
  const list = (m: Map<string, [number, number]>): Breakdown =>
    [...m]
      .map(([value, [count, previous]]) => ({ value, count, previous }))
      .sort((a, b) => b.count - a.count || b.previous - a.previous);
  const best = (m: Map<string, { value: string; count: number }>) =>
    [...m.values()].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, TOP);
  return {
    total,
    previousTotal,
    byCategory: list(breakdown.category),
    byOutcome: list(breakdown.outcome),
    bySource: list(breakdown.source),
    top: {
      actor: best(top[0] as never),
      ip: best(top[1] as never),
      action: best(top[2] as never),
      target: best(top[3] as never),
    },
  };
}

/**
 * Values of a field first seen in the period: nothing of theirs before `from` in this case. A
 * field over several columns (actor: name, else email, else id) is read a column at a time, each
 * event by its first filled column, so that every pass can walk that column's (value, time) index.
 */
function newValues(db: CaseDb, field: string, query: DashboardQuery): Dashboard['newActors'] {
  const columns = facetColumns(field);
  const seen = new Map<string, { value: string; first: number; count: number }>();
  columns.forEach(({ expression, expressionParams }, index) => {
    const earlierEmpty = columns.slice(0, index).map((c) => `AND ${c.expression} IS NULL`);
    const rows = db
      .prepare(
        `SELECT ${expression} AS value, min(time), sum(time >= ?) FROM events
          WHERE time < ? AND value IS NOT NULL ${earlierEmpty.join(' ')} GROUP BY value COLLATE NOCASE`,
      )
      .raw()
      .all(
        ...expressionParams,
        query.from,
        query.to,
        ...columns.slice(0, index).flatMap((c) => c.expressionParams),
      ) as [string, number, number][];
    for (const [value, first, count] of rows) {
      const key = String(value).toLowerCase();
      const known = seen.get(key);
      if (!known) seen.set(key, { value: String(value), first, count });
      else {
        known.first = Math.min(known.first, first);
        known.count += count;
      }
    }
  });
  const fresh = [...seen.values()].filter((v) => v.first >= query.from);
  return {
    total: fresh.length,
    values: fresh
      .map(({ value, count }) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, TOP),
  };
}

/**
 * Activity outside working hours, from the per-minute counts (exact in every zone: offsets are
 * whole minutes): the count, the profile of the day, and the filter that shows those events —
 * one time range per night that has any, so that years of evidence stay a short filter.
 */
function offHours(db: CaseDb, query: DashboardQuery, start: number, end: number): Dashboard['offHours'] {
  const hourOf = localHourOf(query.zone);
  const working = (h: number): boolean => (start <= end ? h >= start && h < end : h >= start || h < end);
  const nights = offHoursWindows(query.from, query.to, query.zone, start, end);
  const used = new Set<number>();
  const byHour = Array.from({ length: 24 }, () => 0);
  let count = 0;
  const minutes = db
    .prepare('SELECT minute, sum(count) FROM minute_counts WHERE minute >= ? AND minute < ? GROUP BY minute')
    .raw();
  // Minutes of the period only: the first and last minute may straddle its edges, so those two
  // are counted from the events themselves below.
  const firstWhole = Math.ceil(query.from / 60e6);
  const lastWhole = Math.floor(query.to / 60e6);
  for (const [minute, n] of minutes.iterate(firstWhole, lastWhole) as Iterable<[number, number]>) {
    const hour = hourOf(minute * 60e6);
    byHour[hour] = (byHour[hour] ?? 0) + n;
    if (working(hour)) continue;
    count += n;
    used.add(nightOf(nights, minute * 60e6));
  }
  const edges = db
    .prepare('SELECT time FROM events WHERE time >= ? AND time < ? AND (time < ? OR time >= ?)')
    .pluck()
    .all(query.from, query.to, firstWhole * 60e6, Math.max(firstWhole, lastWhole) * 60e6) as number[];
  for (const time of edges) {
    const hour = hourOf(time);
    byHour[hour] = (byHour[hour] ?? 0) + 1;
    if (working(hour)) continue;
    count++;
    used.add(nightOf(nights, time));
  }
  const windows = [...used]
    .filter((i) => i >= 0)
    .sort((a, b) => a - b)
    .map((i) => nights[i] as { from: number; to: number });
  return {
    count,
    byHour,
    filter:
      windows.length === 0
        ? { kind: 'time', from: query.from, to: query.from }
        : { kind: 'or', children: windows.map((w) => ({ kind: 'time', from: w.from, to: w.to })) },
  };
}

/** The index of the window holding an instant (binary search; -1 when none does). */
function nightOf(nights: readonly { from: number; to: number }[], time: number): number {
  let lo = 0;
  let hi = nights.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const night = nights[mid] as { from: number; to: number };
    if (time < night.from) hi = mid - 1;
    else if (time >= night.to) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function weeks(db: CaseDb, query: DashboardQuery): Dashboard['weeks'] {
  const count = db.prepare('SELECT count(*) FROM events WHERE time >= ? AND time < ?').pluck();
  const dayStarts = Array.from({ length: 7 }, (_, i) => query.to - (7 - i) * DAY);
  return {
    dayStarts,
    thisWeek: dayStarts.map((d) => count.get(d, d + DAY) as number),
    lastWeek: dayStarts.map((d) => count.get(d - 7 * DAY, d - 6 * DAY) as number),
  };
}

/** The built-in rules over the period alone: the dashboard's cards. */
function cards(db: CaseDb, query: DashboardQuery): RuleCard[] {
  const rules = builtInRules(detectionSettings(db));
  const engine = new AlertEngine(rules);
  engine.advance(db, { kind: 'time', from: query.from, to: query.to });
  const raised = engine.alerts();
  const states = alertStates(db);
  const suppressions = alertSuppressions(db);
  return rules.map((rule) => {
    const alerts = raised
      .filter((a) => a.ruleId === rule.id)
      .map(({ events: _events, ...a }) => {
        const state = states.get(a.key);
        return {
          ...a,
          ...(state ? { state } : {}),
          suppressed: isSuppressed(suppressions, a.ruleId, a.entity),
        };
      })
      .sort((a, b) => Number(a.suppressed) - Number(b.suppressed) || b.count - a.count);
    return {
      ruleId: rule.id,
      title: rule.title,
      level: rule.level,
      ...(rule.description ? { description: rule.description } : {}),
      events: alerts.filter((a) => !a.suppressed).reduce((n, a) => n + a.count, 0),
      alerts,
    };
  });
}

/** The security dashboard of a period: every figure clicks through to a search that shows it. */
export function dashboard(db: CaseDb, query: DashboardQuery): Dashboard {
  const started = Date.now();
  if (!isKnownZone(query.zone)) throw new Error(`unknown time zone ${query.zone}`);
  if (query.to <= query.from) throw new Error('the period ends before it starts');
  const settings = detectionSettings(db);
  const range = { from: query.from, to: query.to };
  return {
    ...range,
    ...tallies(db, query),
    newActors: newValues(db, 'actor', query),
    newIps: newValues(db, 'ip', query),
    offHours: offHours(db, query, settings.workStart, settings.workEnd),
    weeks: weeks(db, query),
    cards: cards(db, query),
    elapsedMs: Date.now() - started,
  };
}
