import { formatAxisTime } from './format.ts';

/**
 * The frame of a chart of lanes over time (Investigation, Actors): a zoomable time axis labelled
 * as precisely as its span needs, one category lane per label (the first at the top), tooltips
 * drawn on the canvas (richText) since they carry log text, never as HTML.
 */
export function laneChartFrame(options: {
  /** Lane labels, top to bottom (already made safe to show). */
  lanes: readonly string[];
  /** Epoch µs covered, for the labels' precision. */
  spanMicros: number;
  zone: string;
  textColor: string;
  labelWidth: number;
}) {
  const { textColor: color, spanMicros, zone } = options;
  return {
    animation: false,
    grid: { left: options.labelWidth, right: 24, top: 10, bottom: 64 },
    tooltip: { trigger: 'item', confine: true, renderMode: 'richText' },
    xAxis: {
      type: 'time',
      axisLabel: {
        color,
        hideOverlap: true,
        // The axis runs in milliseconds (echarts' time unit); events are in microseconds.
        formatter: (ms: number) => formatAxisTime(ms * 1000, spanMicros, zone),
      },
      axisLine: { lineStyle: { color } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'category',
      // A category axis counts upwards: the first lane is drawn last.
      data: [...options.lanes].reverse(),
      axisLabel: { color, fontFamily: 'monospace' },
      axisLine: { lineStyle: { color } },
    },
    // Points outside the zoom are kept (weakFilter) so bars crossing its edges stay drawn.
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'weakFilter' },
      { type: 'slider', xAxisIndex: 0, filterMode: 'weakFilter', height: 22, bottom: 10 },
    ],
  };
}
