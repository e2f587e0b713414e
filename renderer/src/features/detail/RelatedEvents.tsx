import { useEffect, useState } from 'react';
import type { StoredEvent } from '../../../../shared/contract.ts';
import { call } from '../../lib/api.ts';
import { cellText, formatCount } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';

const WINDOWS: [string, number][] = [
  ['±15 min', 15 * 60e6],
  ['±1 hour', 3600e6],
  ['±24 hours', 24 * 3600e6],
  ['±7 days', 7 * 24 * 3600e6],
];

/** The relations worth a pivot, as [label, search field, value]. */
function relations(event: StoredEvent): [string, string, string][] {
  const all: [string, string, string | undefined][] = [
    ['Same actor', 'actor', event.actor.name ?? event.actor.id],
    ['Same IP', 'ip', event.ip],
    ['Same session', 'sessionId', event.sessionId],
    ['Same target', 'target', event.target.id ?? event.target.name],
    ['Same request', 'requestId', event.requestId],
  ];
  return all.filter((r): r is [string, string, string] => r[2] !== undefined && r[2] !== '');
}

/** Moving through rows with the panel open asks only for the row the cursor settles on. */
const COUNT_DELAY_MS = 150;

/**
 * Events sharing the actor, IP, session, target or request of this one within a window around it,
 * counted by the engine; a click pivots the workspace to them.
 */
export function RelatedEvents({ event }: { event: StoredEvent }) {
  const [windowIndex, setWindowIndex] = useState(1);
  const [counts, setCounts] = useState<{ key: string; values: number[] } | undefined>();
  const pivot = useWorkspace((s) => s.pivot);
  const span = (WINDOWS[windowIndex] as [string, number])[1];
  const related = relations(event);
  const key = JSON.stringify([event.seq, span]);

  useEffect(() => {
    let live = true;
    const list = relations(event);
    const ask = setTimeout(() => {
      void Promise.all(
        list.map(([, field, value]) =>
          call('query.total', {
            filter: { kind: 'field', field, op: 'eq', value },
            from: event.time - span,
            to: event.time + span + 1,
          }),
        ),
      ).then(
        (values) => {
          if (live) setCounts({ key, values });
        },
        () => undefined,
      );
    }, COUNT_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(ask);
    };
  }, [key, event, span]);

  if (related.length === 0) return null;
  return (
    <section className="related">
      <h3>
        Related events
        <select
          aria-label="Related events window"
          value={windowIndex}
          onChange={(e) => setWindowIndex(Number(e.target.value))}
        >
          {WINDOWS.map(([label], i) => (
            <option key={label} value={i}>
              {label}
            </option>
          ))}
        </select>
      </h3>
      <ul>
        {related.map(([label, field, value], i) => (
          <li key={field}>
            <button
              type="button"
              onClick={() =>
                pivot({ field, value, negated: false }, event.time - span, event.time + span + 1)
              }
              title={`Show these events (${field}: ${value})`}
            >
              <span className="muted">{label}</span> <span className="mono">{cellText(value)}</span>
              <span className="count">{counts?.key === key ? formatCount(counts.values[i] ?? 0) : '…'}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
