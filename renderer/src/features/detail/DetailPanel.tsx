import { useEffect, useState } from 'react';
import type { StoredEvent } from '../../../../shared/contract.ts';
import { call } from '../../lib/api.ts';
import { cellText, formatTime } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { FieldValue } from '../../components/FieldValue.tsx';
import { RelatedEvents } from './RelatedEvents.tsx';
import { MarksSection } from './MarksSection.tsx';
import { OriginRow } from './OriginRow.tsx';
import { ErrorNote } from '../../components/ErrorNote.tsx';

/** The fields shown first, as [label, search field, value]. */
function normalizedFields(event: StoredEvent): [string, string, string | undefined][] {
  return [
    ['Source', 'source', event.source],
    ['Action', 'action', event.action],
    ['Category', 'category', event.category],
    ['Outcome', 'outcome', event.outcome],
    ['Actor', 'actor.name', event.actor.name],
    ['Actor ID', 'actor.id', event.actor.id],
    ['Actor email', 'actor.email', event.actor.email],
    ['Actor type', 'actor.type', event.actor.type],
    ['Target', 'target.name', event.target.name],
    ['Target ID', 'target.id', event.target.id],
    ['Target type', 'target.type', event.target.type],
    ['IP', 'ip', event.ip],
    ['User agent', 'userAgent', event.userAgent],
    ['Session', 'sessionId', event.sessionId],
    ['Request', 'requestId', event.requestId],
    ['Severity', 'severity', event.severity],
    ['Message', 'message', event.message],
    ['Event ID', 'id', event.id],
  ];
}

/** The raw record pretty-printed when it is JSON, else exactly as stored. Always shown as text. */
function prettyRaw(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

export function DetailPanel() {
  const seq = useWorkspace((s) => s.detailSeq);
  const zone = useWorkspace((s) => s.zone);
  const close = useWorkspace((s) => s.openDetail);
  const remote = useWorkspace((s) => s.remote);
  const [loaded, setLoaded] = useState<
    { seq: number; event: StoredEvent | undefined; error?: string } | undefined
  >();

  useEffect(() => {
    if (seq === undefined) return;
    let live = true;
    call('event.get', seq).then(
      (event) => {
        if (live)
          setLoaded({
            seq,
            event,
            error: event
              ? undefined
              : seq < 0
                ? 'This row is no longer kept: open it again from the table.'
                : 'This event is no longer in the case.',
          });
      },
      (error: Error) => {
        if (live) setLoaded({ seq, event: undefined, error: error.message });
      },
    );
    return () => {
      live = false;
    };
  }, [seq]);

  if (seq === undefined) return null;
  const event = loaded?.seq === seq ? loaded.event : undefined;
  // A row of a table read in place: not in the case, so no marks, origin file or related events.
  const inPlace = seq < 0;
  const error = loaded?.seq === seq ? loaded.error : undefined;
  return (
    <aside className="detail-panel" aria-label="Event details">
      <header className="detail-header">
        <h2>{event ? cellText(event.action) : error ? 'Not available' : 'Loading…'}</h2>
        <button type="button" className="icon-button" onClick={() => close(undefined)} title="Close (Esc)">
          ✕
        </button>
      </header>
      <ErrorNote message={error} />
      {event && (
        <div className="detail-body">
          {!inPlace && <MarksSection seq={event.seq} />}
          <dl className="detail-fields">
            <dt>Time</dt>
            <dd>
              {formatTime(event.time, zone)} <span className="muted">({cellText(event.timeOriginal)})</span>
            </dd>
            {normalizedFields(event)
              .filter(([, , value]) => value !== undefined && value !== '')
              .map(([label, field, value]) => (
                <FieldRow key={field} label={label} field={field} value={value as string} />
              ))}
            {inPlace ? (
              <>
                <dt>Read in place</dt>
                <dd className="in-place-origin">
                  <span className="mono">{cellText(remote?.label ?? 'a database table')}</span>
                  <span className="muted"> · not in the case: pull it in to mark it</span>
                </dd>
              </>
            ) : (
              <OriginRow event={event} />
            )}
          </dl>
          {!inPlace && <RelatedEvents event={event} />}
          {event.changes.length > 0 && (
            <section>
              <h3>Changes</h3>
              <table className="changes">
                <thead>
                  <tr>
                    <th>Field</th>
                    <th>Before</th>
                    <th>After</th>
                  </tr>
                </thead>
                <tbody>
                  {event.changes.map((change, i) => (
                    <tr key={i}>
                      <td>{cellText(change.field)}</td>
                      <td className="before">{cellText(stringify(change.before))}</td>
                      <td className="after">{cellText(stringify(change.after))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          <section>
            <h3>
              {inPlace ? 'Row as the database holds it' : 'Raw record'}
              <span>
                <button
                  type="button"
                  className="text-button"
                  onClick={() => void navigator.clipboard?.writeText(event.raw)}
                >
                  Copy raw
                </button>
                <button
                  type="button"
                  className="text-button"
                  onClick={() => void navigator.clipboard?.writeText(JSON.stringify(event, null, 2))}
                >
                  Copy event as JSON
                </button>
              </span>
            </h3>
            {event.encodingError && (
              <p className="warning">The input was not valid UTF-8: shown decoded with replacements.</p>
            )}
            <pre className="raw">{visibleLines(prettyRaw(event.raw))}</pre>
          </section>
        </div>
      )}
    </aside>
  );
}

function FieldRow({ label, field, value }: { label: string; field: string; value: string }) {
  const showFieldStats = useWorkspace((s) => s.showFieldStats);
  return (
    <>
      <dt>
        <button
          type="button"
          className="field-label"
          title={`Top values of ${field}`}
          onClick={() => showFieldStats(field)}
        >
          {label}
        </button>
      </dt>
      <dd>
        <FieldValue field={field} value={value} />
      </dd>
    </>
  );
}

/** Line breaks stay line breaks; every other control or bidi character is made visible. */
function visibleLines(text: string): string {
  return text.split('\n').map(cellText).join('\n');
}

function stringify(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
