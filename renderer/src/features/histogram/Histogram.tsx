import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { BrushComponent, GridComponent, TooltipComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import type { Histogram as HistogramData } from '../../../../shared/contract.ts';
import type { EventQuery } from '../../../../shared/domain/query.ts';
import type { RemoteScope } from '../../../../shared/domain/source.ts';
import { call } from '../../lib/api.ts';
import { useEchart } from '../../lib/use-echart.ts';
import { formatTime } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { CHART_REFRESH_MS, usePaced } from '../../lib/use-paced.ts';

echarts.use([BarChart, BrushComponent, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

const OUTCOME_COLORS: Record<string, string> = { success: '#3fb27f', failure: '#e5534b', unknown: '#7d8590' };
const CATEGORY_COLORS: Record<string, string> = {
  authentication: '#4c9aff',
  iam: '#b083f0',
  configuration: '#e3b341',
  data_access: '#3fb27f',
  data_change: '#f0883e',
  network: '#39c5cf',
  system: '#7d8590',
  other: '#57606a',
};
type StackBy = 'outcome' | 'category';
/** A table read in place is counted per bucket by its server, in one series. */
const IN_PLACE_COLORS: Record<string, string> = { events: '#4c9aff' };

/**
 * Events over time, stacked by outcome or category. A click on a bar jumps the table to that time;
 * dragging across bars zooms the time range to them ("Custom range ✕" in the filter bar goes back).
 */
export function Histogram({
  query,
  dataVersion,
  enabled,
  onJump,
}: {
  query: EventQuery;
  dataVersion: number;
  /** False while the table's own query runs: this waits for it, so the rows come first. */
  enabled: boolean;
  /** Show the rows at this instant (epoch µs): the newest of a bucket when newest come first. */
  onJump(time: number): void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useEchart(container);
  const zone = useWorkspace((s) => s.zone);
  const theme = useWorkspace((s) => s.theme);
  const setCustomRange = useWorkspace((s) => s.setCustomRange);
  /** The chart's data with the query it counts: bars of a previous filter are shown dimmed and inert. */
  const [data, setData] = useState<
    (HistogramData & { stackBy: StackBy | 'none'; key: string }) | undefined
  >();
  const [stackBy, setStackBy] = useState<StackBy>('outcome');
  const scope = useWorkspace((s) => s.remote?.scope);
  const key = JSON.stringify([query, usePaced(dataVersion, CHART_REFRESH_MS), scope ?? null]);
  const current = data?.key === key;
  const currentRef = useRef(current);
  useEffect(() => {
    currentRef.current = current;
  }, [current]);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const [parsed, , inScope] = JSON.parse(key) as [EventQuery, number, RemoteScope | null];
    call('query.histogram', parsed, { stackBy, maxBuckets: 160 }, inScope).then(
      (histogram) => {
        if (live) setData({ ...histogram, stackBy: inScope ? 'none' : stackBy, key });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [key, stackBy, enabled]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !data) return;
    const text = theme === 'dark' ? '#9aa4b2' : '#57606a';
    const colors =
      data.stackBy === 'none'
        ? IN_PLACE_COLORS
        : data.stackBy === 'outcome'
          ? OUTCOME_COLORS
          : CATEGORY_COLORS;
    const stacks = Object.keys(colors);
    instance.setOption(
      {
        animation: false,
        brush: { xAxisIndex: 0, brushType: 'lineX', brushMode: 'single', throttleType: 'debounce' },
        grid: { left: 48, right: 12, top: 8, bottom: 22 },
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          // Labels are ours (times and counts), never log text.
          formatter: (params: { axisValue: string; seriesName: string; value: number }[]) =>
            [params[0]?.axisValue ?? '', ...params.map((p) => `${p.seriesName}: ${p.value}`)].join('<br/>'),
        },
        xAxis: {
          type: 'category',
          data: data.buckets.map((b) => formatTime(b.start, zone).slice(0, 16)),
          axisLabel: { color: text },
          axisLine: { lineStyle: { color: text } },
        },
        yAxis: {
          type: 'value',
          axisLabel: { color: text },
          splitLine: { lineStyle: { color: `${text}33` } },
        },
        series: stacks.map((name) => ({
          name,
          type: 'bar',
          stack: 'events',
          barCategoryGap: '10%',
          itemStyle: { color: colors[name] },
          data: data.buckets.map((b) => (data.stackBy === 'none' ? b.total : (b.counts[name] ?? 0))),
        })),
      },
      true,
    );
    // Brushing is always on: a drag selects buckets, a click (no drag) lands on one.
    instance.dispatchAction({
      type: 'takeGlobalCursor',
      key: 'brush',
      brushOption: { brushType: 'lineX', brushMode: 'single' },
    });
    const bucketAt = (x: number, y: number) => {
      if (!instance.containPixel('grid', [x, y])) return undefined;
      // On a category axis the grid's data coordinate x is the bucket's index.
      const [index] = instance.convertFromPixel({ gridIndex: 0 }, [x, y]) as number[];
      return index === undefined ? undefined : data.buckets[Math.round(index)];
    };
    const zr = instance.getZr();
    zr.off('click');
    zr.on('click', (e: { offsetX: number; offsetY: number }) => {
      const bucket = currentRef.current ? bucketAt(e.offsetX, e.offsetY) : undefined;
      if (bucket) onJump(query.order === 'asc' ? bucket.start : bucket.start + data.interval - 1);
    });
    instance.off('brushEnd');
    instance.on('brushEnd', (event) => {
      const area = (event as { areas?: { coordRange?: number[] }[] }).areas?.[0];
      const [first, last] = area?.coordRange ?? [];
      instance.dispatchAction({ type: 'brush', areas: [] });
      if (!currentRef.current || first === undefined || last === undefined || first === last) return;
      const from = data.buckets[Math.max(0, first)];
      const to = data.buckets[Math.min(data.buckets.length - 1, last)];
      if (from && to) setCustomRange(from.start, to.start + data.interval);
    });
  }, [chart, data, zone, theme, setCustomRange, onJump, query.order]);

  return (
    <div className={`histogram-frame${data && !current ? ' stale' : ''}`} aria-busy={!current}>
      <div className="histogram" ref={container} aria-label="Events over time" role="img" />
      {/* A table read in place has one series: nothing to stack by. */}
      {scope === undefined && (
        <div className="stack-by" role="group" aria-label="Stack by">
          {(['outcome', 'category'] as const).map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={stackBy === option}
              className={stackBy === option ? 'selected' : ''}
              onClick={() => setStackBy(option)}
            >
              {option}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
