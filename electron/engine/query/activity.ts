import { ACTIVITY_KINDS, activityKind, type ActivityKind } from '../../../shared/lib/activity-kind.ts';
import type { ActivitySummary, JourneyField, JourneyLane } from '../../../shared/domain/activity.ts';
import type { CaseDb } from '../store/case-db.ts';

type Where = { where: string; params: (string | number)[] };

/** The value an entity is named by in each event (the actor's most readable name). */
const ENTITY: Record<JourneyField, string> = {
  actor: `coalesce(nullif(actor_name, ''), nullif(actor_email, ''), nullif(actor_id, ''))`,
  ip: `nullif(ip, '')`,
  sessionId: `nullif(session_id, '')`,
};

/** The entity condition for one value, as the search syntax would match it (any actor column). */
function entityIs(field: JourneyField): string {
  return field === 'actor'
    ? '(actor_name = ? COLLATE NOCASE OR actor_email = ? COLLATE NOCASE OR actor_id = ? COLLATE NOCASE)'
    : field === 'ip'
      ? 'ip = ? COLLATE NOCASE'
      : 'session_id = ?';
}
const entityParams = (field: JourneyField, value: string): string[] =>
  field === 'actor' ? [value, value, value] : [value];

function emptyKinds(): Record<ActivityKind, number> {
  return Object.fromEntries(ACTIVITY_KINDS.map((k) => [k, 0])) as Record<ActivityKind, number>;
}

/**
 * Per-entity summaries of a search: events, failures, first and last seen, distinct IPs and the
 * count of each activity kind — for the `limit` busiest entities, or for the values named.
 */
export function activitySummaries(
  db: CaseDb,
  compiled: Where,
  field: JourneyField,
  options: { limit: number; values?: readonly string[] },
): ActivitySummary[] {
  const entity = ENTITY[field];
  let values = options.values;
  if (values === undefined) {
    values = db
      .prepare(
        `SELECT ${entity} AS value FROM events WHERE (${compiled.where}) AND ${entity} IS NOT NULL
          GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ?`,
      )
      .pluck()
      .all(...compiled.params, options.limit) as string[];
  }
  const summarize = db.prepare(
    `SELECT count(*) AS events, coalesce(sum(outcome = 'failure'), 0) AS failures, min(time) AS first,
            max(time) AS last, count(DISTINCT ip) AS ips
       FROM events WHERE (${compiled.where}) AND ${entityIs(field)}`,
  );
  const kinds = db
    .prepare(
      `SELECT activity_kind(action, category, outcome) AS kind, count(*) AS n
         FROM events WHERE (${compiled.where}) AND ${entityIs(field)} GROUP BY 1`,
    )
    .raw();
  return values.slice(0, options.limit).flatMap((value) => {
    const params = [...compiled.params, ...entityParams(field, value)];
    const row = summarize.get(...params) as Omit<ActivitySummary, 'value' | 'kinds'>;
    if (row.events === 0) return [];
    const counts = emptyKinds();
    for (const [kind, n] of kinds.all(...params) as [ActivityKind, number][]) counts[kind] = n;
    return [{ value, ...row, kinds: counts }];
  });
}

const SENSITIVE_CATEGORIES = new Set(['iam', 'configuration']);
const SENSITIVE_KINDS = new Set<ActivityKind>(['delete', 'export']);

/**
 * Swimlanes of entities over time: sessions (by session id where events carry one, else bursts
 * with no gap longer than `gapMicros`) as spans, failures and sensitive actions as marks. Events
 * are streamed in time order; each lane keeps at most `maxItems` spans and marks.
 */
export function journey(
  db: CaseDb,
  compiled: Where,
  field: JourneyField,
  values: readonly string[],
  options: { gapMicros: number; maxItems: number },
): JourneyLane[] {
  const select = db
    .prepare(
      `SELECT rowid, time, session_id, outcome, category, action FROM events
        WHERE (${compiled.where}) AND ${entityIs(field)} ORDER BY time, rowid`,
    )
    .raw();
  return values.map((value) => {
    const lane: JourneyLane = { value, events: 0, spans: [], marks: [], truncated: false };
    const open = new Map<string, JourneyLane['spans'][number]>();
    const close = (key: string): void => {
      const span = open.get(key);
      if (!span) return;
      open.delete(key);
      if (lane.spans.length < options.maxItems) lane.spans.push(span);
      else lane.truncated = true;
    };
    for (const [seq, time, session, outcome, category, action] of select.iterate(
      ...compiled.params,
      ...entityParams(field, value),
    ) as Iterable<[number, number, string | null, string, string, string]>) {
      lane.events++;
      // Sessions by id where the events carry one; the rest as bursts of activity.
      const key = field !== 'sessionId' && session ? `s:${session}` : 'burst';
      const span = open.get(key);
      if (span && time - span.end <= options.gapMicros) {
        span.end = time;
        span.events++;
        if (outcome === 'failure') span.failures++;
      } else {
        close(key);
        open.set(key, {
          start: time,
          end: time,
          events: 1,
          failures: outcome === 'failure' ? 1 : 0,
          ...(key === 'burst' ? {} : { session: session as string }),
          seq,
        });
      }
      const kind = activityKind(action, category, outcome);
      const mark =
        outcome === 'failure'
          ? 'failure'
          : (SENSITIVE_CATEGORIES.has(category) && kind !== 'view' && kind !== 'other') ||
              SENSITIVE_KINDS.has(kind)
            ? 'sensitive'
            : undefined;
      if (mark) {
        if (lane.marks.length < options.maxItems) lane.marks.push({ seq, time, action, kind: mark });
        else lane.truncated = true;
      }
    }
    for (const key of [...open.keys()]) close(key);
    lane.spans.sort((a, b) => a.start - b.start);
    return lane;
  });
}
