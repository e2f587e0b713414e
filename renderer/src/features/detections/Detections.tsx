import { useEffect, useState } from 'react';
import { RULE_LEVELS, type DetectionReport, type RuleResult } from '../../../../shared/domain/detection.ts';
import { MAX_SELECTED_EVENTS } from '../../../../shared/domain/query.ts';
import { call } from '../../lib/api.ts';
import { cellText, formatCount } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { ViewHeader } from '../../components/ViewHeader.tsx';
import { ErrorNote } from '../../components/ErrorNote.tsx';

/** Most severe first. */
const SEVERITY = (r: RuleResult): number => RULE_LEVELS.indexOf(r.level);

/**
 * Detections: Auditscope's own Sigma rules and the user's (a `rules` folder in the user data
 * folder) run over the whole case; the rules that matched, most severe first, each a click away
 * from its events in Logs; the rules that could not be evaluated, with the reason.
 */
export function Detections({ dataVersion }: { dataVersion: number }) {
  const [state, setState] = useState<{ version: number; report?: DetectionReport; error?: string }>();
  useEffect(() => {
    let live = true;
    call('detect.run').then(
      (report) => live && setState({ version: dataVersion, report }),
      (e: Error) => live && setState({ version: dataVersion, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [dataVersion]);
  const current = state?.version === dataVersion ? state : undefined;
  const report = current?.report;
  const matched = (report?.rules ?? [])
    .filter((r) => r.matches > 0)
    .sort((a, b) => SEVERITY(b) - SEVERITY(a) || b.matches - a.matches);
  const quiet = (report?.rules ?? []).filter((r) => r.matches === 0);

  return (
    <section className="detections" aria-label="Detections">
      <ViewHeader
        status={
          report
            ? `${formatCount(report.rules.length)} rules run over the whole case in ${formatCount(report.elapsedMs)} ms · ` +
              `${formatCount(matched.length)} matched · ${formatCount(report.unsupported.length)} could not be evaluated`
            : current?.error
              ? 'The rules could not run'
              : 'Running the rules…'
        }
      />
      <ErrorNote message={current?.error} />
      <div className="detections-body">
        {report && matched.length === 0 && <p className="muted">No rule matched any event of this case.</p>}
        <table className="detections-table">
          <tbody>
            {matched.map((rule) => (
              <tr key={`${rule.file}#${rule.id}`}>
                <td>
                  <span className={`level level-${rule.level}`}>{rule.level}</span>
                </td>
                <td className="detection-title" title={rule.file}>
                  {cellText(rule.title)}
                  <span className="muted"> {rule.kind === 'sigma-correlation' ? '· correlation' : ''}</span>
                </td>
                <td className="num">{formatCount(rule.matches)}</td>
                <td>
                  <button
                    type="button"
                    className="text-button"
                    onClick={() =>
                      useWorkspace.getState().pin({
                        label: `${rule.title}${rule.matches > MAX_SELECTED_EVENTS ? ` (first ${formatCount(MAX_SELECTED_EVENTS)})` : ''}`,
                        seqs: rule.seqs.slice(0, MAX_SELECTED_EVENTS),
                      })
                    }
                  >
                    Show events
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {report && report.unsupported.length > 0 && (
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
      </div>
    </section>
  );
}
