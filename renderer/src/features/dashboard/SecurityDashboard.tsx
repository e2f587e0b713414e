import { useEffect, useState } from 'react';
import {
  DASHBOARD_RANGES,
  type Breakdown,
  type Dashboard,
  type DashboardRange,
} from '../../../../shared/domain/dashboard.ts';
import type { DetectionSettings } from '../../../../shared/domain/detection-settings.ts';
import { formatSearch } from '../../../../shared/query/format-search.ts';
import { call } from '../../lib/api.ts';
import { cellText, formatCount, formatTime } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { ViewHeader } from '../../components/ViewHeader.tsx';
import { Tabs } from '../../components/Tabs.tsx';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { RuleCards } from './RuleCards.tsx';
import { HourProfile, WeekComparison } from './DashboardCharts.tsx';
import { ThresholdsDialog } from './ThresholdsDialog.tsx';

const DAY = 86_400_000_000;

/** The IANA zone the workspace shows times in (working hours are local). */
export function ianaZone(zone: string): string {
  if (zone === 'utc') return 'UTC';
  if (zone === 'local') return Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone;
}

/** Shows in Logs the period's events with this value of the field. */
function openValue(field: string, value: string, data: Dashboard): void {
  useWorkspace
    .getState()
    .openInLogs(formatSearch({ kind: 'field', field, op: 'eq', value }), data.from, data.to);
}

const hour = (h: number): string => `${String(h % 24).padStart(2, '0')}:00`;

/** "+12%" / "−40%" / "new" against the previous period. */
function trend(count: number, previous: number): { text: string; up: boolean } | undefined {
  if (previous === 0) return count === 0 ? undefined : { text: 'new', up: true };
  const change = Math.round(((count - previous) / previous) * 100);
  return { text: `${change >= 0 ? '+' : '−'}${Math.abs(change)}%`, up: change >= 0 };
}

function Trend({ count, previous }: { count: number; previous: number }) {
  const t = trend(count, previous);
  if (!t) return null;
  return (
    <span
      className={`trend ${t.up ? 'up' : 'down'}`}
      title={`${formatCount(previous)} in the previous period`}
    >
      {t.text}
    </span>
  );
}

/**
 * The security dashboard: for the last day, week, month or quarter of the case (up to its latest
 * event), what happened and what looks wrong, each figure a click away from its events in Logs.
 */
export function SecurityDashboard({ dataVersion }: { dataVersion: number }) {
  const zone = useWorkspace((s) => s.zone);
  const [range, setRange] = useState<DashboardRange>('7d');
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [settings, setSettings] = useState<DetectionSettings>();
  const [settingsVersion, setSettingsVersion] = useState(0);
  const [state, setState] = useState<{ key: string; data?: Dashboard; error?: string; empty?: boolean }>();
  const iana = ianaZone(zone);
  const key = JSON.stringify([range, iana, dataVersion, settingsVersion]);

  useEffect(() => {
    let live = true;
    call('detection.settings').then(
      (s) => live && setSettings(s),
      () => undefined,
    );
    call('case.stats')
      .then((stats) => {
        if (stats.last === null || stats.first === null) return live && setState({ key, empty: true });
        const to = stats.last + 1;
        const days = DASHBOARD_RANGES[range];
        const from = days === undefined ? stats.first : to - days * DAY;
        return call('dashboard.summary', { from, to, zone: iana }).then(
          (data) => live && setState({ key, data }),
        );
      })
      .catch((e: Error) => live && setState({ key, error: e.message }));
    return () => {
      live = false;
    };
    // `key` also carries the data and settings versions: either changing computes it again.
  }, [key, range, iana]);

  const current = state?.key === key ? state : undefined;
  const data = current?.data;
  const open = useWorkspace.getState().openInLogs;
  const failures = data?.byOutcome.find((b) => b.value === 'failure');
  // The whole case has no period before it to compare with.
  const compare = range !== 'all';

  return (
    <section className="dashboard" aria-label="Security dashboard">
      <ViewHeader
        tabs={
          <Tabs
            label="Period"
            tabs={[
              ['24h', 'Last 24 hours'],
              ['7d', '7 days'],
              ['30d', '30 days'],
              ['90d', '90 days'],
              ['all', 'Whole case'],
            ]}
            selected={range}
            onSelect={setRange}
          />
        }
        status={
          data
            ? `${formatTime(data.from, zone)} to the case's latest event, ${formatTime(data.to - 1, zone)}` +
              (range === 'all'
                ? ''
                : ` · compared with the ${range === '24h' ? 'day' : `${DASHBOARD_RANGES[range]} days`} before`) +
              ` · ${formatCount(data.elapsedMs)} ms`
            : current?.empty
              ? 'This case has no events yet'
              : current?.error
                ? 'The dashboard could not be computed'
                : 'Computing the dashboard…'
        }
      >
        <button type="button" className="header-button" onClick={() => setSettingsOpen(true)}>
          Thresholds…
        </button>
      </ViewHeader>
      <ErrorNote message={current?.error} />
      {data && (
        <div className="dashboard-body">
          <div className="stat-tiles">
            <button type="button" className="stat-tile" onClick={() => open('', data.from, data.to)}>
              <span className="stat-label">Events</span>
              <span className="stat-value">{formatCount(data.total)}</span>
              {compare && <Trend count={data.total} previous={data.previousTotal} />}
            </button>
            <button
              type="button"
              className="stat-tile"
              onClick={() => open('outcome:failure', data.from, data.to)}
            >
              <span className="stat-label">Failures</span>
              <span className="stat-value failure-text">{formatCount(failures?.count ?? 0)}</span>
              {compare && <Trend count={failures?.count ?? 0} previous={failures?.previous ?? 0} />}
            </button>
            <button
              type="button"
              className="stat-tile"
              onClick={() =>
                settings &&
                useWorkspace.getState().pin({
                  label: `Outside working hours (${hour(settings.workStart)}–${hour(settings.workEnd)} ${iana} are working hours)`,
                  filter: data.offHours.filter,
                })
              }
            >
              <span className="stat-label">Outside working hours</span>
              <span className="stat-value">{formatCount(data.offHours.count)}</span>
              <span className="muted">
                {settings ? `before ${hour(settings.workStart)} or from ${hour(settings.workEnd)}` : ''}
              </span>
            </button>
            <NewValuesTile label="New actors" values={data.newActors} field="actor" data={data} />
            <NewValuesTile label="New IPs" values={data.newIps} field="ip" data={data} />
          </div>

          <h2 className="dashboard-heading">What looks wrong</h2>
          <RuleCards cards={data.cards} />

          <h2 className="dashboard-heading">What happened</h2>
          <div className="dashboard-grid">
            {(
              [
                ['By category', 'category', data.byCategory],
                ['By outcome', 'outcome', data.byOutcome],
                ['By source', 'source', data.bySource],
              ] as const
            ).map(([title, field, rows]) => (
              <BreakdownCard
                key={field}
                title={title}
                field={field}
                rows={rows}
                data={data}
                compare={compare}
              />
            ))}
            <div className="dash-card">
              <h3>Events per day: the last 7 days against the 7 before</h3>
              <WeekComparison weeks={data.weeks} zone={zone} onDay={(from) => open('', from, from + DAY)} />
            </div>
            <div className="dash-card">
              <h3>By hour of the day ({iana})</h3>
              <HourProfile
                byHour={data.offHours.byHour}
                workStart={settings?.workStart ?? 6}
                workEnd={settings?.workEnd ?? 22}
              />
            </div>
            {(
              [
                ['actor', 'Top actors'],
                ['ip', 'Top IP addresses'],
                ['action', 'Top actions'],
                ['target', 'Top targets'],
              ] as const
            ).map(([field, title]) => (
              <div className="dash-card" key={field}>
                <h3>{title}</h3>
                <ValueList values={data.top[field]} onOpen={(value) => openValue(field, value, data)} />
              </div>
            ))}
          </div>
        </div>
      )}
      {settingsOpen && settings && (
        <ThresholdsDialog
          settings={settings}
          onClose={() => setSettingsOpen(false)}
          onSaved={(saved) => {
            setSettings(saved);
            setSettingsOpen(false);
            setSettingsVersion((v) => v + 1);
          }}
        />
      )}
    </section>
  );
}

function NewValuesTile({
  label,
  values,
  field,
  data,
}: {
  label: string;
  values: Dashboard['newActors'];
  field: string;
  data: Dashboard;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div className="stat-tile new-values">
      <button type="button" className="stat-tile-button" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className="stat-label">{label}</span>
        <span className="stat-value">{formatCount(values.total)}</span>
        <span className="muted">first seen in this period</span>
      </button>
      {open && <ValueList values={values.values} onOpen={(value) => openValue(field, value, data)} />}
    </div>
  );
}

function ValueList({
  values,
  onOpen,
}: {
  values: { value: string; count: number }[];
  onOpen(value: string): void;
}) {
  if (values.length === 0) return <p className="muted">None in this period.</p>;
  const max = Math.max(...values.map((v) => v.count));
  return (
    <ul className="value-list">
      {values.map((v) => (
        <li key={v.value}>
          <button
            type="button"
            className="value-row"
            onClick={() => onOpen(v.value)}
            title={cellText(v.value)}
          >
            <span className="value-bar" style={{ width: `${(v.count / max) * 100}%` }} aria-hidden />
            <span className="value-text">{cellText(v.value)}</span>
            <span className="value-count">{formatCount(v.count)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function BreakdownCard({
  title,
  field,
  rows,
  data,
  compare,
}: {
  title: string;
  field: string;
  rows: Breakdown;
  data: Dashboard;
  compare: boolean;
}) {
  const max = Math.max(1, ...rows.map((r) => Math.max(r.count, compare ? r.previous : 0)));
  return (
    <div className="dash-card">
      <h3>{title}</h3>
      <ul className="value-list">
        {rows.map((r) => (
          <li key={r.value}>
            <button
              type="button"
              className="value-row"
              disabled={r.count === 0}
              hidden={!compare && r.count === 0}
              onClick={() => openValue(field, r.value, data)}
            >
              <span className="value-bar" style={{ width: `${(r.count / max) * 100}%` }} aria-hidden />
              {compare && (
                <span
                  className="value-bar previous"
                  style={{ width: `${(r.previous / max) * 100}%` }}
                  aria-hidden
                />
              )}
              <span className="value-text">{cellText(r.value)}</span>
              <span className="value-count">
                {formatCount(r.count)} {compare && <Trend count={r.count} previous={r.previous} />}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
