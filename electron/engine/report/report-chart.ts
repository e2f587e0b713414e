import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { Histogram } from '../../../shared/contract.ts';
import { formatTimeUtc } from '../../../shared/lib/format-time.ts';
import { everyBucket } from '../../../shared/lib/histogram-buckets.ts';

echarts.use([BarChart, GridComponent, LegendComponent, SVGRenderer]);

const OUTCOMES = [
  ['success', '#3fb27f'],
  ['failure', '#e5534b'],
  ['unknown', '#7d8590'],
] as const;

/** A bucket's start as a short UTC label: the date, and the time of day when buckets are shorter. */
function label(start: number, interval: number): string {
  const iso = formatTimeUtc(start);
  return interval >= 86_400e6 ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/**
 * The report's timeline as SVG markup, rendered without a DOM (echarts' server-side mode), so
 * HTML and PDF reports carry the chart with no script. echarts escapes the text it writes.
 */
export function timelineSvg(histogram: Histogram, size = { width: 880, height: 220 }): string {
  const buckets = everyBucket(histogram, 1000);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size });
  try {
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 16, top: 28, bottom: 48 },
      legend: { top: 0, right: 0, textStyle: { color: '#444' } },
      xAxis: {
        type: 'category',
        data: buckets.map((b) => label(b.start, histogram.interval)),
        axisLabel: { color: '#444', fontSize: 10 },
      },
      yAxis: { type: 'value', axisLabel: { color: '#444', fontSize: 10 }, minInterval: 1 },
      series: OUTCOMES.map(([name, color]) => ({
        name,
        type: 'bar',
        stack: 'events',
        itemStyle: { color },
        data: buckets.map((b) => b.counts[name] ?? 0),
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
