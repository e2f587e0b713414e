import { entityLabel, type Alert } from '../../../../shared/domain/alert.ts';
import type { RuleCard } from '../../../../shared/domain/dashboard.ts';
import { MAX_SELECTED_EVENTS } from '../../../../shared/domain/query.ts';
import { cellText, formatCount, formatTime } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';

/** The alerts shown on a card; the rest are a click away in Detections. */
const SHOWN = 5;

/** Shows an alert's (or several alerts') events in Logs as one pinned chip. */
export function showAlertEvents(label: string, alerts: readonly Alert[]): void {
  const seqs = [...new Set(alerts.flatMap((a) => a.seqs))].slice(0, MAX_SELECTED_EVENTS);
  const total = alerts.reduce((n, a) => n + a.count, 0);
  useWorkspace.getState().pin({
    label:
      total > seqs.length ? `${label} (first ${formatCount(seqs.length)} of ${formatCount(total)})` : label,
    seqs,
  });
}

/** One card per built-in rule: its alerts in the period, the entity and how many events each. */
export function RuleCards({ cards }: { cards: RuleCard[] }) {
  const zone = useWorkspace((s) => s.zone);
  return (
    <div className="rule-cards">
      {cards.map((card) => {
        const active = card.alerts.filter((a) => !a.suppressed);
        return (
          <div
            key={card.ruleId}
            className={`dash-card rule-card${active.length > 0 ? ` firing level-border-${card.level}` : ''}`}
            data-rule={card.ruleId}
          >
            <h3>
              <span className={`level level-${card.level}`}>{card.level}</span> {cellText(card.title)}
            </h3>
            {card.description && <p className="muted rule-description">{cellText(card.description)}</p>}
            {active.length === 0 ? (
              <p className="muted">
                Nothing in this period
                {card.alerts.length > 0 && ` (${formatCount(card.alerts.length)} suppressed)`}.
              </p>
            ) : (
              <>
                <button
                  type="button"
                  className="rule-card-total"
                  onClick={() => showAlertEvents(card.title, active)}
                >
                  <strong>{formatCount(active.length)}</strong> {active.length === 1 ? 'alert' : 'alerts'} ·{' '}
                  {formatCount(card.events)} {card.events === 1 ? 'event' : 'events'}
                </button>
                <ul className="value-list">
                  {active.slice(0, SHOWN).map((alert) => (
                    <li key={alert.key}>
                      <button
                        type="button"
                        className="value-row"
                        title={`${formatTime(alert.firstSeen, zone)} – ${formatTime(alert.lastSeen, zone)}`}
                        onClick={() =>
                          showAlertEvents(`${card.title} · ${entityLabel(alert.entity)}`, [alert])
                        }
                      >
                        <span className="value-text">
                          {cellText(alert.entity?.values.join(' · ') ?? card.title)}
                          {alert.state && (
                            <span className={`alert-status ${alert.state.status}`}>{alert.state.status}</span>
                          )}
                        </span>
                        <span className="value-count">{formatCount(alert.count)}</span>
                      </button>
                    </li>
                  ))}
                </ul>
                {active.length > SHOWN && (
                  <p className="muted">and {formatCount(active.length - SHOWN)} more (see Detections)</p>
                )}
              </>
            )}
          </div>
        );
      })}
    </div>
  );
}
