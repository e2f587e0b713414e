import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import type { Histogram } from '../../../../shared/contract.ts';
import type { ActivitySummary, JourneyField } from '../../../../shared/domain/activity.ts';
import { narrowQuery, type EventQuery } from '../../../../shared/domain/query.ts';
import { call } from '../../lib/api.ts';
import { useEchart } from '../../lib/use-echart.ts';
import { everyBucket } from '../../../../shared/lib/histogram-buckets.ts';
import { cellText, formatAxisTime, formatCount, formatTime } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';

echarts.use([BarChart, GridComponent, LegendComponent, CanvasRenderer]);

/** Sign-ins green, sign-outs blue, failed sign-ins red, everything else grey. */
const KIND_COLORS: [kind: string, label: string, color: string][] = [
  ['login', 'sign-in', '#3fb27f'],
  ['logout', 'sign-out', '#4c9aff'],
  ['login-failed', 'failed sign-in', '#e5534b'],
];
const OTHER_COLOR = '#7d8590';

export function entityQuery(query: EventQuery, field: JourneyField, value: string): EventQuery {
  return narrowQuery(query, { kind: 'field', field, op: 'eq', value });
}

/**
 * Per-user activity: one actor's (IP's, session's) summary in the current window — actions,
 * records viewed, created, modified, deleted, exports, sign-ins and failed ones, distinct IPs,
 * first and last seen — over a timeline coloured by kind of activity.
 */
export function ActivitySummaryCard({
  query,
  field,
  value,
  dataVersion,
}: {
  query: EventQuery;
  field: JourneyField;
  value: string;
  dataVersion: number;
}) {
  const zone = useWorkspace((s) => s.zone);
  const theme = useWorkspace((s) => s.theme);
  const [data, setData] = useState<{
    key: string;
    summary?: ActivitySummary;
    histogram?: Histogram;
    error?: string;
  }>();
  const key = JSON.stringify([query, field, value, dataVersion]);
  const container = useRef<HTMLDivElement>(null);
  const chart = useEchart(container);

  useEffect(() => {
    let live = true;
    const [q, f, v] = JSON.parse(key) as [EventQuery, JourneyField, string];
    Promise.all([
      call('query.activity', q, f, { limit: 1, values: [v] }),
      call('query.histogram', entityQuery(q, f, v), { stackBy: 'activity', maxBuckets: 80 }),
    ]).then(
      ([summaries, histogram]) => live && setData({ key, summary: summaries[0], histogram }),
      (e: Error) => live && setData({ key, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [key]);

  const current = data?.key === key ? data : undefined;
  const histogram = current?.histogram;
  useEffect(() => {
    const instance = chart.current;
    if (!instance || !histogram) return;
    const text = theme === 'dark' ? '#9aa4b2' : '#57606a';
    const buckets = everyBucket(histogram, 200);
    const span = histogram.to - (buckets[0]?.start ?? histogram.from);
    const others = (counts: Record<string, number>): number =>
      Object.entries(counts).reduce(
        (sum, [kind, n]) => (KIND_COLORS.some(([k]) => k === kind) ? sum : sum + n),
        0,
      );
    instance.setOption(
      {
        animation: false,
        grid: { left: 44, right: 12, top: 28, bottom: 22 },
        legend: { top: 0, right: 0, textStyle: { color: text } },
        xAxis: {
          type: 'category',
          data: buckets.map((b) => formatAxisTime(b.start, span, zone)),
          axisLabel: { color: text, hideOverlap: true },
        },
        yAxis: { type: 'value', minInterval: 1, axisLabel: { color: text } },
        series: [
          ...KIND_COLORS.map(([kind, label, color]) => ({
            name: label,
            type: 'bar',
            stack: 'kinds',
            itemStyle: { color },
            data: buckets.map((b) => b.counts[kind] ?? 0),
          })),
          {
            name: 'other',
            type: 'bar',
            stack: 'kinds',
            itemStyle: { color: OTHER_COLOR },
            data: buckets.map((b) => others(b.counts)),
          },
        ],
      },
      true,
    );
  }, [chart, histogram, zone, theme]);

  const s = current?.summary;
  const facts: [string, number | string][] = s
    ? [
        ['Actions', formatCount(s.events)],
        ['Viewed', formatCount(s.kinds.view)],
        ['Created', formatCount(s.kinds.create)],
        ['Modified', formatCount(s.kinds.modify)],
        ['Deleted', formatCount(s.kinds.delete)],
        ['Exports', formatCount(s.kinds.export)],
        ['Sign-ins', formatCount(s.kinds.login)],
        ['Failed sign-ins', formatCount(s.kinds['login-failed'])],
        ['Failures', formatCount(s.failures)],
        ['Distinct IPs', formatCount(s.ips)],
        ['First seen', formatTime(s.first, zone)],
        ['Last seen', formatTime(s.last, zone)],
      ]
    : [];
  return (
    <section className="activity-card" aria-label={`Activity of ${value}`}>
      <h3>
        <span className="muted">{field === 'actor' ? 'Actor' : field === 'ip' ? 'IP' : 'Session'}</span>{' '}
        {cellText(value)}
        <button
          type="button"
          className="text-button"
          onClick={() => {
            const workspace = useWorkspace.getState();
            workspace.addChip({ field, value, negated: false });
            workspace.setView('logs');
          }}
        >
          Show in Logs
        </button>
      </h3>
      <ErrorNote message={current?.error} />
      <dl className="activity-facts">
        {facts.map(([label, shown]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd className={label === 'Failed sign-ins' && s?.kinds['login-failed'] ? 'failure' : undefined}>
              {shown}
            </dd>
          </div>
        ))}
      </dl>
      <div className="activity-chart" ref={container} role="img" aria-label="Activity over time by kind" />
    </section>
  );
}
