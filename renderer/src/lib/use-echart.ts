import * as echarts from 'echarts/core';
import { useEffect, useRef } from 'react';

/**
 * An echarts instance living as long as the component, on a canvas in `container`, resized with
 * its element. Charts set their options in effects of their own through the returned ref.
 */
export function useEchart(container: React.RefObject<HTMLDivElement | null>) {
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  useEffect(() => {
    if (!container.current) return;
    const instance = echarts.init(container.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(container.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, [container]);
  return chart;
}
