import { toEventRow, type EventRow } from './event-row.ts';

/** A minimal stored row for store and query tests: an id and a time, the rest plausible. */
export function sampleRow(
  id: string,
  time: number,
  overrides: { action?: string; outcome?: 'success' | 'failure'; actor?: string } = {},
): EventRow {
  return toEventRow(
    {
      id,
      time,
      timeOriginal: String(time),
      source: 'generic',
      action: overrides.action ?? 'user.login',
      category: 'authentication',
      outcome: overrides.outcome ?? 'success',
      actor: { name: overrides.actor ?? 'alice' },
      target: {},
      changes: [],
      raw: JSON.stringify({ id, time }),
      origin: { importId: 0, offset: 0, line: 1 },
    },
    null,
  );
}
