import type { AuditEvent, EventCategory, EventOutcome } from '../../../shared/domain/audit-event.ts';

/**
 * The columns of `events` in insert order. Rows cross thread boundaries as plain arrays in this
 * order: structured clone of arrays of primitives is several times cheaper than of objects.
 */
export const EVENT_COLUMNS = [
  'event_id',
  'time',
  'time_original',
  'source',
  'action',
  'category',
  'outcome',
  'actor_id',
  'actor_name',
  'actor_email',
  'actor_type',
  'target_type',
  'target_id',
  'target_name',
  'ip',
  'user_agent',
  'session_id',
  'request_id',
  'severity',
  'message',
  'changes',
  'raw',
  'document',
  'raw_bytes',
  'encoding_error',
  'import_id',
  'byte_offset',
  'line',
] as const;

export type EventRowValue = string | number | Uint8Array | null;
/** One event as the writer stores it, values in EVENT_COLUMNS order. */
export type EventRow = EventRowValue[];

/** Builds the stored row for an event; `importId` is filled in by the writer. */
export function toEventRow(event: AuditEvent, document: string | null, rawBytes?: Uint8Array): EventRow {
  return [
    event.id,
    event.time,
    event.timeOriginal,
    event.source,
    event.action,
    event.category,
    event.outcome,
    event.actor.id ?? null,
    event.actor.name ?? null,
    event.actor.email ?? null,
    event.actor.type ?? null,
    event.target.type ?? null,
    event.target.id ?? null,
    event.target.name ?? null,
    event.ip ?? null,
    event.userAgent ?? null,
    event.sessionId ?? null,
    event.requestId ?? null,
    event.severity ?? null,
    event.message ?? null,
    event.changes.length > 0 ? JSON.stringify(event.changes) : null,
    event.raw,
    document,
    rawBytes ?? null,
    event.encodingError ? 1 : 0,
    event.origin?.importId ?? 0,
    event.origin?.offset ?? 0,
    event.origin?.line ?? 1,
  ];
}

export const COL = Object.fromEntries(EVENT_COLUMNS.map((name, index) => [name, index])) as Record<
  (typeof EVENT_COLUMNS)[number],
  number
>;

/** The SELECT list that `fromStoredRow` reads, in order. */
const UNSELECTED = new Set<string>(['document', 'raw_bytes']);
const SELECTED = EVENT_COLUMNS.filter((c) => !UNSELECTED.has(c));
const SELECTED_INDEX = new Map<string, number>(SELECTED.map((name, index) => [name, index]));
export const SELECT_EVENT_COLUMNS = `rowid, ${SELECTED.join(', ')}`;

/** A row as SELECT_EVENT_COLUMNS returns it (better-sqlite3 `.raw()` mode). */
export type StoredRow = unknown[];

export function fromStoredRow(row: StoredRow): AuditEvent & { seq: number } {
  // row[0] is rowid, then SELECTED in order.
  const at = (name: (typeof EVENT_COLUMNS)[number]): unknown => row[1 + (SELECTED_INDEX.get(name) as number)];
  const text = (name: (typeof EVENT_COLUMNS)[number]): string | undefined => {
    const value = at(name);
    return value === null || value === undefined ? undefined : String(value);
  };
  const changes = text('changes');
  return {
    seq: Number(row[0]),
    id: String(at('event_id')),
    time: Number(at('time')),
    timeOriginal: String(at('time_original')),
    source: String(at('source')),
    action: String(at('action')),
    category: at('category') as EventCategory,
    outcome: at('outcome') as EventOutcome,
    actor: compact({
      id: text('actor_id'),
      name: text('actor_name'),
      email: text('actor_email'),
      type: text('actor_type'),
    }),
    target: compact({ type: text('target_type'), id: text('target_id'), name: text('target_name') }),
    ...compact({
      ip: text('ip'),
      userAgent: text('user_agent'),
      sessionId: text('session_id'),
      requestId: text('request_id'),
      severity: text('severity'),
      message: text('message'),
    }),
    changes: changes ? (JSON.parse(changes) as AuditEvent['changes']) : [],
    raw: String(at('raw')),
    ...(at('encoding_error') === 1 ? { encodingError: true } : {}),
    origin: {
      importId: Number(at('import_id')),
      offset: Number(at('byte_offset')),
      line: Number(at('line')),
    },
  };
}

function compact<T extends Record<string, string | undefined>>(value: T): { [K in keyof T]?: string } {
  const out: { [K in keyof T]?: string } = {};
  for (const key of Object.keys(value) as (keyof T)[]) {
    const v = value[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}
