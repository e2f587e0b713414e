import { useEffect, useState } from 'react';
import type { FieldValueCount } from '../../../../shared/domain/case.ts';
import type { EventQuery } from '../../../../shared/domain/query.ts';
import { call } from '../../lib/api.ts';
import { cellText, formatCount } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';

const FACETS: [string, string][] = [
  ['action', 'Actions'],
  ['category', 'Categories'],
  ['outcome', 'Outcomes'],
  ['actor', 'Actors'],
  ['ip', 'IPs'],
];

/** Counts per value of one field in the current filter window; a click filters by the value. */
export function ActivityBreakdown({ query, dataVersion }: { query: EventQuery; dataVersion: number }) {
  const [field, setField] = useState('action');
  const [data, setData] = useState<{ key: string; total: number; values: FieldValueCount[] } | undefined>();
  const addChip = useWorkspace((s) => s.addChip);
  const key = JSON.stringify([query, field, dataVersion]);

  useEffect(() => {
    let live = true;
    const [q, f] = JSON.parse(key) as [EventQuery, string];
    void call('query.topValues', q, f, 12).then((top) => {
      if (live) setData({ key, ...top });
    });
    return () => {
      live = false;
    };
  }, [key]);

  const max = Math.max(1, ...(data?.values.map((v) => v.count) ?? []));
  return (
    <section className="breakdown" aria-label="Activity breakdown">
      <div className="breakdown-tabs" role="tablist">
        {FACETS.map(([id, label]) => (
          <button key={id} type="button" role="tab" aria-selected={field === id} onClick={() => setField(id)}>
            {label}
          </button>
        ))}
      </div>
      <ol className="breakdown-list">
        {data?.key === key &&
          data.values.map((value) => (
            <li key={value.value}>
              <button
                type="button"
                title={`Filter for ${field}: ${value.value}`}
                onClick={() => addChip({ field, value: value.value, negated: false })}
              >
                <span className="bar" style={{ width: `${(value.count / max) * 100}%` }} />
                <span className="label">{cellText(value.value)}</span>
                <span className="count">
                  {formatCount(value.count)}
                  <span className="muted">
                    {' '}
                    {data.total > 0 ? Math.round((value.count / data.total) * 100) : 0}%
                  </span>
                </span>
              </button>
            </li>
          ))}
      </ol>
    </section>
  );
}
