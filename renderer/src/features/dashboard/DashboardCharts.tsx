import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { Dashboard } from '../../../../shared/domain/dashboard.ts';
import { useEchart } from '../../lib/use-echart.ts';
import { formatTime } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

function axisColors(theme: string) {
  return theme === 'dark' ? { text: '#9aa4b2', line: '#2a3341' } : { text: '#57606a', line: '#d0d7de' };
}

/** Events per local hour of the day; hours outside working hours drawn in orange. */
export function HourProfile({
  byHour,
  workStart,
  workEnd,
}: {
  byHour: number[];
  workStart: number;
  workEnd: number;
}) {
  const theme = useWorkspace((s) => s.theme);
  const container = useRef<HTMLDivElement>(null);
  const chart = useEchart(container);
  useEffect(() => {
    const { text, line } = axisColors(theme);
    const working = (h: number): boolean =>
      workStart <= workEnd ? h >= workStart && h < workEnd : h >= workStart || h < workEnd;
    chart.current?.setOption(
      {
        animation: false,
        grid: { left: 48, right: 8, top: 8, bottom: 24 },
        tooltip: { trigger: 'axis' },
        xAxis: {
          type: 'category',
          data: byHour.map((_, h) => String(h).padStart(2, '0')),
          axisLabel: { color: text },
          axisLine: { lineStyle: { color: line } },
        },
        yAxis: { type: 'value', axisLabel: { color: text }, splitLine: { lineStyle: { color: line } } },
        series: [
          {
            type: 'bar',
            name: 'events',
            data: byHour.map((n, h) => ({
              value: n,
              itemStyle: { color: working(h) ? '#4c9aff' : '#f0a35a' },
            })),
          },
        ],
      },
      true,
    );
  }, [chart, byHour, workStart, workEnd, theme]);
  return <div ref={container} className="dash-chart" aria-label="Events by hour of the day" />;
}

/** The last 7 days against the 7 before, day by day; a click on a day opens it in Logs. */
export function WeekComparison({
  weeks,
  zone,
  onDay,
}: {
  weeks: Dashboard['weeks'];
  zone: string;
  onDay(from: number): void;
}) {
  const theme = useWorkspace((s) => s.theme);
  const container = useRef<HTMLDivElement>(null);
  const chart = useEchart(container);
  const onDayRef = useRef(onDay);
  useEffect(() => {
    onDayRef.current = onDay;
  }, [onDay]);
  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const { text, line } = axisColors(theme);
    instance.setOption(
      {
        animation: false,
        grid: { left: 56, right: 8, top: 28, bottom: 24 },
        tooltip: { trigger: 'axis' },
        legend: { top: 0, textStyle: { color: text } },
        xAxis: {
          type: 'category',
          data: weeks.dayStarts.map((d) => formatTime(d, zone).slice(5, 16)),
          axisLabel: { color: text },
          axisLine: { lineStyle: { color: line } },
        },
        yAxis: { type: 'value', axisLabel: { color: text }, splitLine: { lineStyle: { color: line } } },
        series: [
          { type: 'bar', name: 'last 7 days', data: weeks.thisWeek, itemStyle: { color: '#4c9aff' } },
          {
            type: 'line',
            name: 'the 7 days before',
            data: weeks.lastWeek,
            itemStyle: { color: '#8b95a3' },
            lineStyle: { type: 'dashed' },
          },
        ],
      },
      true,
    );
    const click = (p: { dataIndex: number; seriesIndex?: number }): void => {
      const start = weeks.dayStarts[p.dataIndex];
      if (start !== undefined && p.seriesIndex === 0) onDayRef.current(start);
    };
    instance.on('click', click);
    return () => {
      instance.off('click', click);
    };
  }, [chart, weeks, zone, theme]);
  return (
    <div ref={container} className="dash-chart" aria-label="Events per day, this week against last week" />
  );
}
