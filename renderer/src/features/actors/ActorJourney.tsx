import * as echarts from 'echarts/core';
import { CustomChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import type { ActivitySummary, JourneyField, JourneyLane } from '../../../../shared/domain/activity.ts';
import type { EventQuery } from '../../../../shared/domain/query.ts';
import { call } from '../../lib/api.ts';
import { useEchart } from '../../lib/use-echart.ts';
import { cellText, clipLabel, formatCount, formatTime } from '../../lib/format.ts';
import { laneChartFrame } from '../../lib/lane-chart.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { Tabs } from '../../components/Tabs.tsx';
import { ViewHeader } from '../../components/ViewHeader.tsx';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { ActivitySummaryCard } from './ActivitySummaryCard.tsx';

echarts.use([CustomChart, ScatterChart, GridComponent, DataZoomComponent, TooltipComponent, CanvasRenderer]);

const FIELDS: [JourneyField, string][] = [
  ['actor', 'Actors'],
  ['ip', 'IPs'],
  ['sessionId', 'Sessions'],
];
/** Entities listed to choose from, and how many lanes start chosen. */
const LISTED = 30;
const FIRST_CHOSEN = 6;
const MAX_LANES = 20;
const NO_LANES: JourneyLane[] = [];

type Span = JourneyLane['spans'][number];

/**
 * The actor journey: for the actors (or IPs, sessions) chosen, a swimlane each over the current
 * window — sessions as bars (by session id, or bursts without a 30-minute gap), failures as red
 * marks and sensitive actions (identity and configuration changes, deletions, exports) as orange
 * ones. A bar opens its events in Logs, a mark its event; a name shows that one's activity summary.
 */
export function ActorJourney({ query, dataVersion }: { query: EventQuery; dataVersion: number }) {
  const zone = useWorkspace((s) => s.zone);
  const theme = useWorkspace((s) => s.theme);
  const [field, setField] = useState<JourneyField>('actor');
  const listKey = JSON.stringify([query, field, dataVersion]);
  const [listed, setListed] = useState<{ key: string; entities?: ActivitySummary[]; error?: string }>();
  const [chosenFor, setChosen] = useState<{ key: string; values: string[] }>();
  const [focusFor, setFocus] = useState<{ key: string; value: string }>();
  const [journey, setJourney] = useState<{ key: string; lanes?: JourneyLane[]; error?: string }>();
  const container = useRef<HTMLDivElement>(null);
  const chart = useEchart(container);

  useEffect(() => {
    let live = true;
    const [q, f] = JSON.parse(listKey) as [EventQuery, JourneyField];
    call('query.activity', q, f, { limit: LISTED }).then(
      (entities) => live && setListed({ key: listKey, entities }),
      (e: Error) => live && setListed({ key: listKey, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [listKey]);
  const entities = listed?.key === listKey ? listed.entities : undefined;
  // The busiest start chosen; a choice belongs to the list it was made in.
  const chosen =
    chosenFor?.key === listKey
      ? chosenFor.values
      : (entities ?? []).slice(0, FIRST_CHOSEN).map((e) => e.value);
  const focus = focusFor?.key === listKey ? focusFor.value : chosen[0];

  const journeyKey = JSON.stringify([query, field, chosen, dataVersion]);
  useEffect(() => {
    let live = true;
    const [q, f, values] = JSON.parse(journeyKey) as [EventQuery, JourneyField, string[]];
    if (values.length === 0) return;
    call('query.journey', q, f, values, { gapMinutes: 30, maxItems: 2000 }).then(
      (lanes) => live && setJourney({ key: journeyKey, lanes }),
      (e: Error) => live && setJourney({ key: journeyKey, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [journeyKey]);
  // No lane ticked: nothing to ask, and nothing to draw.
  const lanes = chosen.length === 0 ? NO_LANES : journey?.key === journeyKey ? journey.lanes : undefined;

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !lanes) return;
    if (lanes.length === 0) {
      instance.clear();
      return;
    }
    const text = theme === 'dark' ? '#9aa4b2' : '#57606a';
    const order = [...lanes].reverse();
    const ms = (micros: number): number => micros / 1000;
    const starts = lanes.flatMap((l) => l.spans.map((s) => s.start));
    const ends = lanes.flatMap((l) => l.spans.map((s) => s.end));
    const span = starts.length > 0 ? Math.max(...ends) - Math.min(...starts) : 0;
    instance.setOption(
      {
        ...laneChartFrame({
          lanes: lanes.map((l) => `${clipLabel(cellText(l.value), 28)}  ${formatCount(l.events)}`),
          spanMicros: span,
          zone,
          textColor: text,
          labelWidth: 220,
        }),
        series: [
          {
            type: 'custom',
            encode: { x: [1, 2], y: 0 },
            renderItem: (
              params: { coordSys: { x: number; y: number; width: number; height: number } },
              api: SpanApi,
            ) => {
              const start = api.coord([api.value(1), api.value(0)]);
              const end = api.coord([api.value(2), api.value(0)]);
              const height = api.size([0, 1])[1] * 0.45;
              const shape = echarts.graphic.clipRectByRect(
                { x: start[0], y: start[1] - height / 2, width: Math.max(3, end[0] - start[0]), height },
                params.coordSys,
              );
              return shape && { type: 'rect', shape, style: api.style() };
            },
            itemStyle: { color: theme === 'dark' ? '#4c9aff' : '#0969da', opacity: 0.75 },
            data: order.flatMap((lane, y) =>
              lane.spans.map((span) => ({
                value: [y, ms(span.start), ms(span.end + 1)],
                span,
                lane: lane.value,
                name: spanLabel(span, zone),
              })),
            ),
            tooltip: { formatter: (p: { name: string }) => p.name },
          },
          {
            type: 'scatter',
            symbolSize: 9,
            data: order.flatMap((lane, y) =>
              lane.marks.map((mark) => ({
                value: [ms(mark.time), y],
                seq: mark.seq,
                time: mark.time,
                symbol: mark.kind === 'failure' ? 'circle' : 'triangle',
                itemStyle: { color: mark.kind === 'failure' ? '#f0605a' : '#f0a35a' },
                name: `${mark.kind === 'failure' ? 'failed' : 'sensitive'}: ${cellText(mark.action)} · ${formatTime(mark.time, zone)}`,
              })),
            ),
            tooltip: { formatter: (p: { name: string }) => p.name },
          },
        ],
      },
      true,
    );
    instance.off('click');
    instance.on('click', (params) => {
      const data = params.data as { seq?: number; time?: number; span?: Span; lane?: string } | undefined;
      const workspace = useWorkspace.getState();
      if (data?.seq !== undefined && data.time !== undefined) workspace.showEvent(data.seq, data.time);
      else if (data?.span && data.lane !== undefined) {
        workspace.pivot({ field, value: data.lane, negated: false }, data.span.start, data.span.end + 1);
        workspace.setView('logs');
      }
    });
  }, [chart, lanes, zone, theme, field]);

  const toggle = (value: string): void => {
    const next = chosen.includes(value)
      ? chosen.filter((v) => v !== value)
      : [...chosen, value].slice(-MAX_LANES);
    setChosen({ key: listKey, values: next });
  };
  const error =
    (listed?.key === listKey ? listed.error : undefined) ??
    (journey?.key === journeyKey ? journey.error : undefined);

  return (
    <section className="actors-view" aria-label="Actors">
      <ViewHeader
        tabs={<Tabs label="Journeys of" tabs={FIELDS} selected={field} onSelect={setField} />}
        status={
          lanes
            ? `${lanes.length} lanes · bars: sessions or bursts of activity · red: failures · orange: sensitive actions · click to open`
            : entities && entities.length === 0
              ? 'No activity in this window'
              : 'Loading…'
        }
      />
      <ErrorNote message={error} />
      <div className="actors-body">
        <ul className="entity-list" aria-label="Choose lanes">
          {(entities ?? []).map((e) => (
            <li key={e.value} className={focus === e.value ? 'focused' : undefined}>
              <label>
                <input type="checkbox" checked={chosen.includes(e.value)} onChange={() => toggle(e.value)} />
              </label>
              <button
                type="button"
                className="entity-name"
                title={e.value}
                onClick={() => setFocus({ key: listKey, value: e.value })}
              >
                {cellText(e.value)}
              </button>
              <span className="muted">
                {formatCount(e.events)}
                {e.failures > 0 && <span className="failure"> · {formatCount(e.failures)} failed</span>}
              </span>
            </li>
          ))}
        </ul>
        <div className="actors-main">
          <div
            className={`journey-chart${lanes ? '' : ' stale'}`}
            ref={container}
            role="img"
            aria-label="Activity of the chosen entities over time"
            data-lanes={lanes?.length}
          />
          {focus !== undefined && (
            <ActivitySummaryCard query={query} field={field} value={focus} dataVersion={dataVersion} />
          )}
        </div>
      </div>
    </section>
  );
}

interface SpanApi {
  value(dimension: number): number;
  coord(point: [number, number]): [number, number];
  size(size: [number, number]): [number, number];
  style(): Record<string, unknown>;
}

function spanLabel(span: Span, zone: string): string {
  const head = span.session ? `session ${cellText(span.session).slice(0, 40)}` : 'activity';
  return `${head} · ${formatTime(span.start, zone)} – ${formatTime(span.end, zone)} · ${formatCount(span.events)} events${
    span.failures ? `, ${formatCount(span.failures)} failed` : ''
  }`;
}
