import { useState } from 'react';
import { entityLabel, type Alert, type AlertStatus } from '../../../../shared/domain/alert.ts';
import { call } from '../../lib/api.ts';
import { cellText, formatCount, formatTime } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { Tabs } from '../../components/Tabs.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { showAlertEvents } from '../dashboard/RuleCards.tsx';

export type AlertFilter = 'open' | 'all' | 'suppressed';

/** What the analyst is about to do to one alert, which asks for a note first. */
type Pending = { alert: Alert; action: AlertStatus | 'suppress' | 'unsuppress' };

const ACTION_TEXT: Record<Pending['action'], string> = {
  acknowledged: 'Acknowledge',
  resolved: 'Resolve',
  open: 'Reopen',
  suppress: 'Suppress',
  unsuppress: 'Lift suppression',
};

function statusOf(alert: Alert): AlertStatus {
  return alert.state?.status ?? 'open';
}

/** Events after the decision: the alert was acknowledged or resolved, and more happened since. */
function newSince(alert: Alert): boolean {
  return alert.state !== undefined && alert.state.status !== 'open' && alert.lastSeen > alert.state.lastSeen;
}

/**
 * The alerts list: severity, rule, entity, first and last seen, events, status; the matching
 * events a click away; acknowledge, resolve, reopen or suppress with a note (journaled).
 */
export function AlertsTable({
  alerts,
  filter,
  onFilter,
  onDecided,
}: {
  alerts: Alert[];
  filter: AlertFilter;
  onFilter(filter: AlertFilter): void;
  onDecided(): void;
}) {
  const zone = useWorkspace((s) => s.zone);
  const [pending, setPending] = useState<Pending>();
  const shown = alerts.filter((a) =>
    filter === 'suppressed'
      ? a.suppressed
      : filter === 'open'
        ? !a.suppressed && (statusOf(a) !== 'resolved' || newSince(a))
        : !a.suppressed,
  );
  return (
    <>
      <Tabs
        label="Which alerts"
        tabs={[
          ['open', 'Open and acknowledged'],
          ['all', 'All'],
          ['suppressed', `Suppressed (${formatCount(alerts.filter((a) => a.suppressed).length)})`],
        ]}
        selected={filter}
        onSelect={onFilter}
      />
      {shown.length === 0 ? (
        <p className="muted">No alerts here.</p>
      ) : (
        <table className="detections-table alerts-table">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Rule</th>
              <th>Entity</th>
              <th>First seen</th>
              <th>Last seen</th>
              <th className="num">Events</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((alert) => (
              <tr key={alert.key} data-alert={alert.key}>
                <td>
                  <span className={`level level-${alert.level}`}>{alert.level}</span>
                </td>
                <td className="detection-title">{cellText(alert.title)}</td>
                <td className="alert-entity">
                  {cellText(entityLabel(alert.entity)) || <span className="muted">—</span>}
                </td>
                <td className="nowrap">{formatTime(alert.firstSeen, zone)}</td>
                <td className="nowrap">{formatTime(alert.lastSeen, zone)}</td>
                <td className="num">{formatCount(alert.count)}</td>
                <td>
                  <span className={`alert-status ${statusOf(alert)}`}>{statusOf(alert)}</span>
                  {newSince(alert) && <span className="alert-status new">new events</span>}
                  {alert.state && alert.state.note !== '' && (
                    <span className="alert-note" title={`${alert.state.analyst}: ${alert.state.note}`}>
                      {cellText(alert.state.note)}
                    </span>
                  )}
                </td>
                <td className="alert-actions">
                  <button
                    type="button"
                    className="text-button"
                    onClick={() =>
                      showAlertEvents(`${alert.title} ${entityLabel(alert.entity)}`.trim(), [alert])
                    }
                  >
                    Show events
                  </button>
                  {alert.suppressed ? (
                    <button
                      type="button"
                      className="text-button"
                      onClick={() => setPending({ alert, action: 'unsuppress' })}
                    >
                      Lift suppression
                    </button>
                  ) : (
                    <>
                      {statusOf(alert) === 'open' && (
                        <button
                          type="button"
                          className="text-button"
                          onClick={() => setPending({ alert, action: 'acknowledged' })}
                        >
                          Acknowledge
                        </button>
                      )}
                      {statusOf(alert) !== 'resolved' ? (
                        <button
                          type="button"
                          className="text-button"
                          onClick={() => setPending({ alert, action: 'resolved' })}
                        >
                          Resolve
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="text-button"
                          onClick={() => setPending({ alert, action: 'open' })}
                        >
                          Reopen
                        </button>
                      )}
                      {alert.entity && (
                        <button
                          type="button"
                          className="text-button"
                          title={`No more alerts from this rule for ${entityLabel(alert.entity)}`}
                          onClick={() => setPending({ alert, action: 'suppress' })}
                        >
                          Suppress
                        </button>
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pending && (
        <AlertNoteDialog
          pending={pending}
          onClose={() => setPending(undefined)}
          onDone={() => {
            setPending(undefined);
            onDecided();
          }}
        />
      )}
    </>
  );
}

function AlertNoteDialog({
  pending,
  onClose,
  onDone,
}: {
  pending: Pending;
  onClose(): void;
  onDone(): void;
}) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const { alert, action } = pending;
  const verb = ACTION_TEXT[action];
  const submit = (): Promise<unknown> => {
    if (action === 'suppress' || action === 'unsuppress') {
      const entity = alert.entity;
      if (!entity) return Promise.resolve();
      return action === 'suppress'
        ? call('alerts.suppress', { ruleId: alert.ruleId, entity, note })
        : call('alerts.unsuppress', { ruleId: alert.ruleId, entity });
    }
    return call('alerts.decide', {
      key: alert.key,
      status: action,
      note,
      lastSeen: alert.lastSeen,
      ruleId: alert.ruleId,
      ...(alert.entity ? { entity: alert.entity } : {}),
    });
  };
  return (
    <Modal label={`${verb} alert`} className="alert-dialog" onClose={onClose}>
      <h2>
        {verb}: {cellText(alert.title)}
      </h2>
      {alert.entity && <p className="muted">{cellText(entityLabel(alert.entity))}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit().then(onDone, (err: Error) => setError(err.message));
        }}
      >
        {action !== 'unsuppress' && (
          <label className="alert-note-field">
            Note (kept with the case and written to its journal, with your name and the time)
            <textarea value={note} rows={4} autoFocus onChange={(e) => setNote(e.target.value)} />
          </label>
        )}
        <ErrorNote message={error} />
        <footer>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={action === 'resolved' && note.trim() === ''}>
            {verb}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
