import * as echarts from 'echarts/core';
import { ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { StoredEvent } from '../../../../shared/contract.ts';
import type { CaseNote } from '../../../../shared/domain/case-note.ts';
import type { EventMarks } from '../../../../shared/domain/annotations.ts';
import { call } from '../../lib/api.ts';
import { useEchart } from '../../lib/use-echart.ts';
import { cellText, clipLabel, formatCount, formatTime, safeTagColor } from '../../lib/format.ts';
import { laneChartFrame } from '../../lib/lane-chart.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { Tabs } from '../../components/Tabs.tsx';
import { ViewHeader } from '../../components/ViewHeader.tsx';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { Markdown } from '../../components/Markdown.tsx';
import { NoteEditor } from './NoteEditor.tsx';
import { STORY_LIMIT, useStory } from './use-story.ts';

echarts.use([ScatterChart, GridComponent, DataZoomComponent, TooltipComponent, CanvasRenderer]);

const GROUPS = [
  ['actor', 'Actor'],
  ['ip', 'IP'],
  ['source', 'Source'],
] as const;
type Group = (typeof GROUPS)[number][0];
const COLORS = ['#4c9aff', '#3fb27f', '#f0a35a', '#b57edc', '#e06bb0', '#5ec7d6', '#c9b458', '#8fb3ff'];
const OTHER = 'other';
const NOTES_LANE = 'Case notes';

function groupOf(event: StoredEvent, group: Group): string {
  if (group === 'ip') return event.ip ?? '(no IP)';
  if (group === 'source') return event.source;
  return event.actor.name ?? event.actor.email ?? event.actor.id ?? '(no actor)';
}

type Item =
  | { kind: 'event'; time: number; event: StoredEvent; marks: EventMarks }
  | { kind: 'note'; time: number; note: CaseNote };

/**
 * The investigation timeline: the case's story on one line — every starred, tagged or noted event
 * in time order with its note inline, coloured and laned by actor (or IP, source), and the case's
 * own notes between them. Zoom by dragging the slider's handles or the wheel over the chart; the
 * story below follows the zoom; a click on an event opens it in Logs.
 */
export function Investigation({ dataVersion }: { dataVersion: number }) {
  const zone = useWorkspace((s) => s.zone);
  const theme = useWorkspace((s) => s.theme);
  const [group, setGroup] = useState<Group>('actor');
  const [revision, setRevision] = useState(0);
  const { story, error } = useStory(dataVersion, revision);
  const [editing, setEditing] = useState<{ note?: CaseNote; time?: number } | undefined>();
  const [window, setWindow] = useState<[number, number] | undefined>();
  const container = useRef<HTMLDivElement>(null);
  const chart = useEchart(container);

  // Lanes: the busiest groups get colours; the rest share one lane.
  const lanes = useMemo(() => {
    const counts = new Map<string, number>();
    for (const { event } of story?.events ?? []) {
      const value = groupOf(event, group);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, COLORS.length);
    const colors = new Map(top.map(([value], i) => [value, COLORS[i] as string]));
    return { colors, names: [...top.map(([value]) => value), ...(counts.size > top.length ? [OTHER] : [])] };
  }, [story, group]);
  const laneOf = (event: StoredEvent): string => {
    const value = groupOf(event, group);
    return lanes.colors.has(value) ? value : OTHER;
  };

  const items = useMemo<Item[]>(() => {
    const list: Item[] = [
      ...(story?.events ?? []).map(({ event, marks }) => ({
        kind: 'event' as const,
        time: event.time,
        event,
        marks,
      })),
      ...(story?.notes ?? []).flatMap((note) =>
        note.time === null ? [] : [{ kind: 'note' as const, time: note.time, note }],
      ),
    ];
    return list.sort((a, b) => a.time - b.time);
  }, [story]);
  const shown = window ? items.filter((i) => i.time >= window[0] && i.time <= window[1]) : items;
  const caseNotes = (story?.notes ?? []).filter((n) => n.time === null);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !story) return;
    const text = theme === 'dark' ? '#9aa4b2' : '#57606a';
    const categories = [NOTES_LANE, ...lanes.names].reverse();
    const times = [
      ...story.events.map((e) => e.event.time),
      ...story.notes.flatMap((n) => (n.time === null ? [] : [n.time])),
    ];
    const span = times.length > 1 ? Math.max(...times) - Math.min(...times) : 0;
    instance.setOption(
      {
        ...laneChartFrame({
          lanes: [NOTES_LANE, ...lanes.names].map((c) => clipLabel(cellText(c), 26)),
          spanMicros: span,
          zone,
          textColor: text,
          labelWidth: 200,
        }),
        series: [
          {
            type: 'scatter',
            symbolSize: 11,
            data: story.events.map(({ event, marks }) => {
              const lane = laneOf(event);
              return {
                value: [event.time / 1000, categories.indexOf(lane)],
                seq: event.seq,
                time: event.time,
                symbol: marks.starred
                  ? 'path://M5,0 L6.2,3.6 L10,3.6 L7,5.9 L8.1,9.5 L5,7.3 L1.9,9.5 L3,5.9 L0,3.6 L3.8,3.6 Z'
                  : 'circle',
                itemStyle: {
                  color: lanes.colors.get(lane) ?? '#7d8590',
                  borderColor: event.outcome === 'failure' ? '#f0605a' : 'transparent',
                  borderWidth: 2,
                },
                name: `${formatTime(event.time, zone)}  ${cellText(event.action)}`,
              };
            }),
            tooltip: { formatter: (p: { name: string }) => p.name },
          },
          {
            type: 'scatter',
            symbol: 'pin',
            symbolSize: 18,
            itemStyle: { color: '#c9b458' },
            data: story.notes
              .filter((n) => n.time !== null)
              .map((n) => ({
                value: [(n.time as number) / 1000, categories.indexOf(NOTES_LANE)],
                name: cellText(n.body.split('\n')[0]?.slice(0, 80) ?? ''),
              })),
            tooltip: { formatter: (p: { name: string }) => p.name },
          },
        ],
      },
      true,
    );
    instance.off('click');
    instance.on('click', (params) => {
      const data = params.data as { seq?: number; time?: number } | undefined;
      if (data?.seq !== undefined && data.time !== undefined)
        useWorkspace.getState().showEvent(data.seq, data.time);
    });
    instance.off('datazoom');
    instance.on('datazoom', () => {
      const option = instance.getOption() as {
        dataZoom?: { start?: number; end?: number; startValue?: number; endValue?: number }[];
      };
      const zoom = option.dataZoom?.[0];
      if (!zoom || (zoom.start === 0 && zoom.end === 100)) setWindow(undefined);
      else if (zoom.startValue !== undefined && zoom.endValue !== undefined)
        setWindow([zoom.startValue * 1000, zoom.endValue * 1000]);
    });
    // laneOf reads lanes and group, both listed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chart, story, lanes, group, zone, theme]);

  const saved = (didSave: boolean): void => {
    setEditing(undefined);
    if (didSave) setRevision((r) => r + 1);
  };
  const [removeError, setRemoveError] = useState<string | undefined>();
  const remove = (note: CaseNote): void => {
    setRemoveError(undefined);
    call('note.delete', note.id).then(
      () => setRevision((r) => r + 1),
      (e: Error) => setRemoveError(e.message),
    );
  };

  const noteItem = (note: CaseNote) => (
    <CaseNoteItem
      key={note.id}
      note={note}
      zone={zone}
      editing={editing}
      setEditing={setEditing}
      onSaved={saved}
      onDelete={remove}
    />
  );

  return (
    <section className="investigation" aria-label="Investigation">
      <ViewHeader
        tabs={<Tabs label="Colour by" tabs={GROUPS} selected={group} onSelect={setGroup} />}
        status={
          story
            ? `${formatCount(story.total)} marked events${story.total > STORY_LIMIT ? ` (the first ${formatCount(STORY_LIMIT)} shown)` : ''} · ${formatCount(story.notes.length)} case notes` +
              (window
                ? ` · zoomed: ${formatCount(shown.length)} on the story line below`
                : ' · drag the slider or scroll on the chart to zoom')
            : 'Loading…'
        }
      >
        <button type="button" className="header-button" onClick={() => setEditing({})}>
          + Case note
        </button>
      </ViewHeader>
      <ErrorNote message={error ?? removeError} />
      <div className="investigation-chart" ref={container} role="img" aria-label="Marked events over time" />
      <div className="story">
        {editing && !editing.note && <NoteEditor time={editing.time} onDone={saved} />}
        {story && story.events.length === 0 && story.notes.length === 0 && (
          <p className="muted story-empty">
            Nothing marked yet. Star (s), tag or note events in Logs, or write a case note: they come together
            here as the story of the case, in time order.
          </p>
        )}
        {caseNotes.length > 0 && <div className="story-notes">{caseNotes.map(noteItem)}</div>}
        <ol className="story-line">
          {shown.map((item) =>
            item.kind === 'note' ? (
              <li key={`n${item.note.id}`} className="story-item story-note">
                {noteItem(item.note)}
              </li>
            ) : (
              <li key={`e${item.event.seq}`} className="story-item">
                <span
                  className="story-dot"
                  style={{ background: lanes.colors.get(laneOf(item.event)) ?? '#7d8590' }}
                />
                <div className="story-body">
                  <div className="story-head">
                    <span className="mono">{formatTime(item.event.time, zone)}</span>
                    {item.marks.starred && (
                      <span className="story-star" aria-label="starred">
                        ★
                      </span>
                    )}
                    <strong>{cellText(groupOf(item.event, group))}</strong>
                    <span className="mono">{cellText(item.event.action)}</span>
                    {(item.event.target.name ?? item.event.target.id) ? (
                      <span className="muted">
                        → {cellText(item.event.target.name ?? item.event.target.id)}
                      </span>
                    ) : null}
                    <span className={`outcome outcome-${item.event.outcome}`}>{item.event.outcome}</span>
                    {item.marks.tags.map((t) => (
                      <span key={t.name} className="tag-chip" style={{ borderColor: safeTagColor(t.color) }}>
                        {cellText(t.name)}
                      </span>
                    ))}
                    <span className="story-actions">
                      <button
                        type="button"
                        className="text-button"
                        onClick={() => useWorkspace.getState().showEvent(item.event.seq, item.event.time)}
                      >
                        Open in Logs
                      </button>
                      <button
                        type="button"
                        className="text-button"
                        onClick={() => setEditing({ time: item.event.time })}
                      >
                        Note after this
                      </button>
                    </span>
                  </div>
                  {item.marks.note !== undefined && (
                    <Markdown className="story-text" text={item.marks.note} />
                  )}
                </div>
              </li>
            ),
          )}
        </ol>
      </div>
    </section>
  );
}

function CaseNoteItem({
  note,
  zone,
  editing,
  setEditing,
  onSaved,
  onDelete,
}: {
  note: CaseNote;
  zone: string;
  editing: { note?: CaseNote } | undefined;
  setEditing(value: { note: CaseNote }): void;
  onSaved(saved: boolean): void;
  onDelete(note: CaseNote): void;
}) {
  if (editing?.note?.id === note.id) return <NoteEditor note={note} onDone={onSaved} />;
  return (
    <div className="case-note">
      <div className="story-head">
        <span className="case-note-pin" aria-hidden>
          ✎
        </span>
        <span className="mono muted">{note.time === null ? 'Case note' : formatTime(note.time, zone)}</span>
        <span className="story-actions">
          <button type="button" className="text-button" onClick={() => setEditing({ note })}>
            Edit
          </button>
          <button type="button" className="text-button" onClick={() => onDelete(note)}>
            Delete
          </button>
        </span>
      </div>
      <Markdown className="story-text" text={note.body} />
    </div>
  );
}
