import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import type { RemoteSearch } from '../../../../shared/contract.ts';
import type { SourceInfo, SourceMapping } from '../../../../shared/domain/source.ts';
import { call } from '../../lib/api.ts';
import { useEchart } from '../../lib/use-echart.ts';
import { cellText, formatCount } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

const TOP_FIELDS = ['actor', 'action', 'ip', 'target'] as const;

/**
 * What the database counts for a search over a table read in place: matching rows per time
 * bucket, and the most frequent values of a field; a value adds itself to the search.
 */
export function RemoteCharts({
  source,
  table,
  mapping,
  search,
  onNarrow,
}: {
  source: SourceInfo;
  table: string;
  mapping: SourceMapping;
  search: RemoteSearch;
  onNarrow(term: string): void;
}) {
  const theme = useWorkspace((s) => s.theme);
  const container = useRef<HTMLDivElement>(null);
  const chart = useEchart(container);
  // Each answer is kept with the search (and field) it answers: a stale one is not shown.
  const [answer, setAnswer] = useState<{
    for: RemoteSearch;
    interval: number;
    buckets: { start: number; count: number }[];
  }>();
  const [field, setField] = useState<(typeof TOP_FIELDS)[number]>('actor');
  const [topAnswer, setTopAnswer] = useState<{
    for: RemoteSearch;
    field: string;
    values: { value: string | null; count: number }[];
  }>();
  const histogram = answer?.for === search ? answer : undefined;
  const top = topAnswer?.for === search && topAnswer.field === field ? topAnswer.values : undefined;

  useEffect(() => {
    let live = true;
    call('source.histogram', source.id, table, mapping, search).then(
      (h) => live && setAnswer({ for: search, ...h }),
      () => undefined, // the rows' own call reports what went wrong
    );
    return () => {
      live = false;
    };
  }, [source.id, table, mapping, search]);

  useEffect(() => {
    let live = true;
    if (!mapping[field]) return;
    call('source.topValues', source.id, table, mapping, search, field, 8).then(
      (values) => live && setTopAnswer({ for: search, field, values }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [source.id, table, mapping, search, field]);

  useEffect(() => {
    if (!histogram) {
      chart.current?.clear();
      return;
    }
    const { text, line } =
      theme === 'dark' ? { text: '#9aa4b2', line: '#2a3341' } : { text: '#57606a', line: '#d0d7de' };
    chart.current?.setOption(
      {
        animation: false,
        grid: { left: 48, right: 8, top: 8, bottom: 24 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'time', axisLabel: { color: text }, axisLine: { lineStyle: { color: line } } },
        yAxis: {
          type: 'value',
          minInterval: 1,
          axisLabel: { color: text },
          splitLine: { lineStyle: { color: line } },
        },
        series: [
          {
            type: 'bar',
            name: 'rows',
            barMaxWidth: 12,
            itemStyle: { color: '#4c9aff' },
            data: histogram.buckets.map((b) => [b.start, b.count]),
          },
        ],
      },
      true,
    );
  }, [chart, histogram, theme]);

  return (
    <div className="remote-charts">
      <div
        ref={container}
        className="remote-histogram"
        role="img"
        aria-label={
          histogram
            ? `Matching rows per ${histogram.interval} s, ${histogram.buckets.length} buckets, counted by the server`
            : 'Matching rows over time'
        }
      />
      <div className="remote-top">
        <select
          aria-label="Top values of"
          value={field}
          onChange={(e) => setField(e.target.value as typeof field)}
        >
          {TOP_FIELDS.map((f) => (
            <option key={f} value={f} disabled={!mapping[f]}>
              top {f}
            </option>
          ))}
        </select>
        <ul aria-label={`Top ${field} values`}>
          {(top ?? []).map((t) => (
            <li key={String(t.value)}>
              <button
                type="button"
                className="text-button"
                disabled={t.value === null}
                title={t.value === null ? 'rows without a value' : `add ${field}:${t.value} to the search`}
                onClick={() => t.value !== null && onNarrow(`${field}:${JSON.stringify(t.value)}`)}
              >
                {t.value === null ? '(none)' : cellText(t.value)}
              </button>{' '}
              <span className="muted">{formatCount(t.count)}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
