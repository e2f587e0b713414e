import { useEffect, useState } from 'react';
import { RULE_LEVELS } from '../../../../shared/domain/detection.ts';
import { entityLabel, type Alert, type AlertsReport } from '../../../../shared/domain/alert.ts';
import { call } from '../../lib/api.ts';
import { cellText, formatCount } from '../../lib/format.ts';
import { ViewHeader } from '../../components/ViewHeader.tsx';
import { Tabs } from '../../components/Tabs.tsx';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { AlertsTable, type AlertFilter } from './AlertsTable.tsx';
import { showAlertEvents } from '../dashboard/RuleCards.tsx';

/** Most severe first. */
const SEVERITY = (level: string): number => RULE_LEVELS.indexOf(level as (typeof RULE_LEVELS)[number]);

/**
 * Detections: every rule over the whole case — the built-in ones at the case's thresholds,
 * Auditscope's own and Sigma rules bundled with the app, the user's `rules` folder — as a list of
 * alerts to acknowledge, resolve or suppress, and per rule what it found and what could not run.
 */
export function Detections({ dataVersion }: { dataVersion: number }) {
  const [tab, setTab] = useState<'alerts' | 'rules'>('alerts');
  const [filter, setFilter] = useState<AlertFilter>('open');
  const [decisions, setDecisions] = useState(0);
  const [state, setState] = useState<{ key: string; report?: AlertsReport; error?: string }>();
  const key = `${dataVersion}:${decisions}`;
  useEffect(() => {
    let live = true;
    call('alerts.list').then(
      (report) => live && setState({ key, report }),
      (e: Error) => live && setState({ key, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  // A decision re-reads the list, keeping the last one on screen meanwhile.
  const current = state?.key === key || state?.key.startsWith(`${dataVersion}:`) ? state : undefined;
  const report = current?.report;
  const alerts = [...(report?.alerts ?? [])].sort(
    (a, b) => SEVERITY(b.level) - SEVERITY(a.level) || b.lastSeen - a.lastSeen,
  );
  const open = alerts.filter((a) => !a.suppressed && (a.state?.status ?? 'open') !== 'resolved');

  return (
    <section className="detections" aria-label="Detections">
      <ViewHeader
        tabs={
          <Tabs
            label="Detections"
            tabs={[
              ['alerts', `Alerts (${formatCount(open.length)} open)`],
              ['rules', 'Rules'],
            ]}
            selected={tab}
            onSelect={setTab}
          />
        }
        status={
          report
            ? `${formatCount(report.rules.length)} rules run over the whole case in ${formatCount(report.elapsedMs)} ms · ` +
              `${formatCount(alerts.length)} alerts · ${formatCount(report.unsupported.length)} rules could not be evaluated`
            : current?.error
              ? 'The rules could not run'
              : 'Running the rules…'
        }
      />
      <ErrorNote message={current?.error} />
      <div className="detections-body">
        {report && tab === 'alerts' && (
          <AlertsTable
            alerts={alerts}
            filter={filter}
            onFilter={setFilter}
            onDecided={() => setDecisions((n) => n + 1)}
          />
        )}
        {report && tab === 'rules' && <RulesList report={report} alerts={alerts} />}
      </div>
    </section>
  );
}

function RulesList({ report, alerts }: { report: AlertsReport; alerts: Alert[] }) {
  const matched = report.rules
    .filter((r) => r.matches > 0)
    .sort((a, b) => SEVERITY(b.level) - SEVERITY(a.level) || b.matches - a.matches);
  const quiet = report.rules.filter((r) => r.matches === 0);
  return (
    <>
      {matched.length === 0 && <p className="muted">No rule matched any event of this case.</p>}
      <table className="detections-table">
        <tbody>
          {matched.map((rule) => {
            const own = alerts.filter((a) => a.ruleId === rule.id);
            return (
              <tr key={`${rule.file}#${rule.id}`}>
                <td>
                  <span className={`level level-${rule.level}`}>{rule.level}</span>
                </td>
                <td className="detection-title" title={rule.file}>
                  {cellText(rule.title)}
                  <span className="muted"> · {rule.kind}</span>
                </td>
                <td className="num">{formatCount(rule.matches)}</td>
                <td>
                  <button
                    type="button"
                    className="text-button"
                    disabled={own.length === 0}
                    onClick={() => showAlertEvents(rule.title, own)}
                  >
                    Show events
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {report.unsupported.length > 0 && (
        <details className="detections-more">
          <summary>{formatCount(report.unsupported.length)} rules could not be evaluated</summary>
          <ul>
            {report.unsupported.map((u, i) => (
              <li key={i}>
                <strong>{cellText(u.title ?? u.file)}</strong>{' '}
                <span className="muted">{cellText(u.reason)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {quiet.length > 0 && (
        <details className="detections-more">
          <summary>{formatCount(quiet.length)} rules matched nothing</summary>
          <ul>
            {quiet.map((r) => (
              <li key={`${r.file}#${r.id}`}>
                <span className={`level level-${r.level}`}>{r.level}</span> {cellText(r.title)}
              </li>
            ))}
          </ul>
        </details>
      )}
      {report.suppressions.length > 0 && (
        <details className="detections-more">
          <summary>{formatCount(report.suppressions.length)} suppressions</summary>
          <ul>
            {report.suppressions.map((s) => (
              <li key={`${s.ruleId}#${entityLabel(s.entity)}`}>
                {cellText(s.ruleId)} · {cellText(entityLabel(s.entity))}{' '}
                <span className="muted">
                  by {cellText(s.analyst)}: {cellText(s.note)}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
