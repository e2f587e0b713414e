import * as echarts from 'echarts/core';
import { HeatmapChart, ScatterChart } from 'echarts/charts';
import { GridComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import type { Lanes } from '../../../../shared/contract.ts';
import type { EventQuery } from '../../../../shared/domain/query.ts';
import { call } from '../../lib/api.ts';
import { useEchart } from '../../lib/use-echart.ts';
import { cellText, clipLabel, formatCount, formatTime } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { Tabs } from '../../components/Tabs.tsx';
import { ViewHeader } from '../../components/ViewHeader.tsx';
import { ErrorNote } from '../../components/ErrorNote.tsx';

echarts.use([HeatmapChart, ScatterChart, GridComponent, VisualMapComponent, CanvasRenderer]);

/** What a lane can be: the fields an analyst follows through time. */
export const LANE_FIELDS: [field: string, label: string][] = [
  ['actor', 'Actor'],
  ['ip', 'IP'],
  ['source', 'Source'],
  ['action', 'Action'],
  ['target', 'Target'],
  ['category', 'Category'],
];
const LANES = 15;
const LABEL_CHARS = 32;

interface Hovered {
  /** The lanes' query: a hover over lanes since replaced is not shown. */
  key: string;
  lane: string;
  start: number;
  events: number;
  failures: number;
}

/**
 * The Timeline: who (or which IP, source, action…) was active when, as one lane per value of the
 * chosen field over the current filter window. Cells are shaded by events; a red dot marks cells
 * with failures. A click on a cell opens those events in Logs.
 */
export function Timeline({ query, dataVersion }: { query: EventQuery; dataVersion: number }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useEchart(container);
  const zone = useWorkspace((s) => s.zone);
  const theme = useWorkspace((s) => s.theme);
  const [field, setField] = useState('actor');
  const [data, setData] = useState<
    { key: string; lanes: Lanes } | { key: string; error: string } | undefined
  >();
  const [hoveredCell, setHovered] = useState<Hovered | undefined>();
  const key = JSON.stringify([query, field, dataVersion]);

  useEffect(() => {
    let live = true;
    const [parsed, laneField] = JSON.parse(key) as [EventQuery, string];
    call('query.lanes', parsed, laneField, { lanes: LANES, maxBuckets: 120 }).then(
      (lanes) => {
        if (live) setData({ key, lanes });
      },
      (error: Error) => {
        if (live) setData({ key, error: error.message });
      },
    );
    return () => {
      live = false;
    };
  }, [key]);

  const lanes = data?.key === key && 'lanes' in data ? data.lanes : undefined;
  const hovered = lanes && hoveredCell?.key === key ? hoveredCell : undefined;

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    if (!lanes) {
      // Lanes of another query (or case) are on screen, dimmed, until the new ones arrive:
      // they answer neither hover nor click.
      instance.off('mouseover');
      instance.off('mouseout');
      instance.off('click');
      return;
    }
    const text = theme === 'dark' ? '#9aa4b2' : '#57606a';
    const accent = theme === 'dark' ? '#4c9aff' : '#0969da';
    const empty = theme === 'dark' ? '#0d1117' : '#ffffff';
    const faint = theme === 'dark' ? '#1d3a5f' : '#cfe2fb';
    // Lanes top to bottom, most active first (a category y axis counts upwards).
    const order = [...lanes.lanes].reverse();
    // Shaded by the square root of the count: one burst must not wash out every quieter cell.
    const max = Math.sqrt(Math.max(1, ...lanes.lanes.flatMap((l) => l.cells.map(([, events]) => events))));
    const startOf = (index: number): number => lanes.from + index * lanes.interval;
    instance.setOption(
      {
        animation: false,
        grid: { left: 260, right: 24, top: 10, bottom: 28 },
        xAxis: {
          type: 'category',
          data: Array.from({ length: lanes.buckets }, (_, i) => formatTime(startOf(i), zone).slice(0, 16)),
          axisLabel: { color: text },
          axisLine: { lineStyle: { color: text } },
          splitArea: { show: false },
        },
        yAxis: {
          type: 'category',
          // Log text, drawn on the canvas as plain text, controls and bidi overrides made visible.
          data: order.map((l) => `${clipLabel(cellText(l.value), LABEL_CHARS)}  ${formatCount(l.total)}`),
          axisLabel: { color: text, fontFamily: 'monospace' },
          axisLine: { lineStyle: { color: text } },
        },
        visualMap: {
          show: false,
          min: 0,
          max,
          seriesIndex: 0,
          inRange: { color: [faint, accent] },
        },
        series: [
          {
            type: 'heatmap',
            data: order.flatMap((lane, y) => lane.cells.map(([x, events]) => [x, y, Math.sqrt(events)])),
            itemStyle: { borderColor: empty, borderWidth: 1 },
            emphasis: { itemStyle: { borderColor: text, borderWidth: 1 } },
          },
          {
            type: 'scatter',
            symbolSize: 6,
            silent: true,
            itemStyle: { color: '#f0605a' },
            data: order.flatMap((lane, y) =>
              lane.cells.filter(([, , failures]) => failures > 0).map(([x]) => [x, y]),
            ),
          },
        ],
      },
      true,
    );
    const cellAt = (params: { data?: unknown }): Hovered | undefined => {
      const [x, y] = (params.data ?? []) as [number, number];
      const lane = order[y];
      const cell = lane?.cells.find(([index]) => index === x);
      if (!lane || !cell) return undefined;
      return { key, lane: lane.value, start: startOf(x), events: cell[1], failures: cell[2] };
    };
    instance.off('mouseover');
    instance.off('mouseout');
    instance.off('click');
    instance.on('mouseover', (params) => setHovered(cellAt(params)));
    instance.on('mouseout', () => setHovered(undefined));
    instance.on('click', (params) => {
      const cell = cellAt(params);
      if (!cell) return;
      const workspace = useWorkspace.getState();
      // The lane's value joins the filters already set, and the range narrows to the cell.
      workspace.addChip({ field, value: cell.lane, negated: false });
      // The first and last columns may reach past the window they counted: keep to the window.
      workspace.setCustomRange(
        Math.max(cell.start, query.from ?? cell.start),
        Math.min(cell.start + lanes.interval, query.to ?? Number.MAX_SAFE_INTEGER),
      );
      workspace.setView('logs');
    });
  }, [chart, key, lanes, zone, theme, field, query.from, query.to]);

  const error = data?.key === key && 'error' in data ? data.error : undefined;
  const fieldLabel = LANE_FIELDS.find(([id]) => id === field)?.[1] ?? field;
  return (
    <section className="timeline" aria-label="Timeline">
      <ViewHeader
        tabs={<Tabs label="Lanes by" tabs={LANE_FIELDS} selected={field} onSelect={setField} />}
        status={
          hovered
            ? `${fieldLabel} ${cellText(hovered.lane)} · ${formatTime(hovered.start, zone).slice(0, 16)} · ` +
              `${formatCount(hovered.events)} events${hovered.failures ? `, ${formatCount(hovered.failures)} failed` : ''} · click to open in Logs`
            : lanes
              ? `Top ${lanes.lanes.length} ${fieldLabel.toLowerCase()} values of ${formatCount(lanes.total)} events` +
                ` · one column per ${intervalLabel(lanes.interval)} · red dot: failures`
              : 'Counting…'
        }
      />
      <ErrorNote message={error} />
      {lanes && lanes.lanes.length === 0 && (
        <p className="muted timeline-empty">No {fieldLabel.toLowerCase()} values in this window</p>
      )}
      <div
        className={`timeline-chart${lanes ? '' : ' stale'}`}
        ref={container}
        role="img"
        aria-label={`Activity over time by ${fieldLabel.toLowerCase()}`}
        data-lanes={lanes?.lanes.length}
      />
    </section>
  );
}

function intervalLabel(micros: number): string {
  const seconds = micros / 1e6;
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${seconds / 60} min`;
  if (seconds < 86400) return `${seconds / 3600} h`;
  return `${seconds / 86400} d`;
}
