import { useEffect, useState } from 'react';
import type { FieldValueCount } from '../../../../shared/domain/case.ts';
import type { EventQuery } from '../../../../shared/domain/query.ts';
import type { RemoteScope } from '../../../../shared/domain/source.ts';
import { call } from '../../lib/api.ts';
import { cellText, formatCount } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { Tabs } from '../../components/Tabs.tsx';
import { CHART_REFRESH_MS, usePaced } from '../../lib/use-paced.ts';

const FACETS: [string, string][] = [
  ['action', 'Actions'],
  ['category', 'Categories'],
  ['outcome', 'Outcomes'],
  ['actor', 'Actors'],
  ['ip', 'IPs'],
];

const RAW_OR_FIELD = /^[A-Za-z0-9_@$-]+(\.[A-Za-z0-9_@$-]+)*$/;

/**
 * Counts per value of one field in the current filter window, with its share: the activity
 * breakdown for the usual facets, and field statistics for any other field or raw path. A click
 * on a value filters by it.
 */
export function ActivityBreakdown({
  query,
  dataVersion,
  enabled,
}: {
  query: EventQuery;
  dataVersion: number;
  /** False while the table's own query runs: this waits for it, so the rows come first. */
  enabled: boolean;
}) {
  const field = useWorkspace((s) => s.statsField);
  const setField = useWorkspace((s) => s.showFieldStats);
  const [other, setOther] = useState(() => (FACETS.some(([id]) => id === field) ? '' : field));
  const [data, setData] = useState<
    { key: string; total: number; values: FieldValueCount[] } | { key: string; error: string } | undefined
  >();
  const addChip = useWorkspace((s) => s.addChip);
  const isFacet = FACETS.some(([id]) => id === field);
  // The box shows the field being counted (empty for a facet tab) until the analyst types; a
  // field chosen elsewhere (a detail label) replaces the draft.
  const [draftFor, setDraftFor] = useState(field);
  if (draftFor !== field) {
    setDraftFor(field);
    setOther(isFacet ? '' : field);
  }
  // Over a table read in place, its server counts the values.
  const scope = useWorkspace((s) => s.remote?.scope);
  const key = JSON.stringify([query, field, usePaced(dataVersion, CHART_REFRESH_MS), scope ?? null]);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const [q, f, , inScope] = JSON.parse(key) as [EventQuery, string, number, RemoteScope | null];
    void call('query.topValues', q, f, 12, inScope).then(
      (top) => {
        if (live) setData({ key, ...top });
      },
      (error: Error) => {
        if (live) setData({ key, error: error.message });
      },
    );
    return () => {
      live = false;
    };
  }, [key, enabled]);

  const current = data?.key === key ? data : undefined;
  const values = current && 'values' in current ? current.values : [];
  const total = current && 'total' in current ? current.total : 0;
  const max = Math.max(1, ...values.map((v) => v.count));
  return (
    <section className="breakdown" aria-label="Activity breakdown">
      <Tabs tabs={FACETS} selected={field} onSelect={setField} />
      <form
        className="field-stats-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (RAW_OR_FIELD.test(other.trim())) setField(other.trim());
        }}
      >
        <input
          aria-label="Field statistics for"
          placeholder="any field or raw path, e.g. userAgent, eventSource"
          value={other}
          onChange={(e) => setOther(e.target.value)}
        />
      </form>
      {current && 'error' in current && <p className="warning breakdown-error">{cellText(current.error)}</p>}
      {current && 'values' in current && values.length === 0 && (
        <p className="muted breakdown-error">No values of {cellText(field)} in this window</p>
      )}
      <ol className="breakdown-list">
        {values.map((value) => (
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
                <span className="muted"> {total > 0 ? Math.round((value.count / total) * 100) : 0}%</span>
              </span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
