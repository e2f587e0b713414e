import { useEffect, useState } from 'react';
import type { JournalEntry, VerifyReport } from '../../../../shared/domain/journal.ts';
import { Modal } from '../../components/Modal.tsx';
import { useEscapeToClose } from '../../components/use-escape.ts';
import { call } from '../../lib/api.ts';
import { cellText } from '../../lib/format.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';

const STATE_TEXT: Record<VerifyReport['inputs'][number]['state'], string> = {
  match: 'unchanged',
  changed: 'CHANGED',
  missing: 'not found (moved or deleted)',
  unhashed: 'no hash recorded',
};

/** The one line an entry shows: what was done, and to what. */
function entrySummary(entry: JournalEntry): string {
  const detail = entry.detail;
  const text = (key: string): string => (typeof detail[key] === 'string' ? (detail[key] as string) : '');
  switch (entry.action) {
    case 'import':
      return `${text('path')} (${String(detail.status)}: ${String(detail.accepted)} new, ${String(detail.duplicates)} duplicates, ${String(detail.rejected)} rejected)`;
    case 'export':
      return `${text('file')} (${String(detail.events)} events, ${text('format')})`;
    case 'source.pull':
      return `${text('table')} from ${text('source')} (${String(detail.rows)} rows)`;
    default:
      return text('path');
  }
}

/**
 * Case ▸ Verify case…: the journal's hash chain and the inputs re-checked by the engine, the head
 * hash to note down (it pins the history up to now), and the latest entries.
 */
export function VerifyDialog({ onClose }: { onClose(): void }) {
  const [report, setReport] = useState<VerifyReport | undefined>();
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [error, setError] = useState<string | undefined>();
  useEscapeToClose(onClose);

  useEffect(() => {
    let live = true;
    call('case.verify').then(
      async (verified) => {
        if (!live) return;
        setReport(verified);
        const first = Math.max(0, verified.journal.entries - 20);
        const latest = await call('case.journal', first, 20);
        if (live) setEntries(latest);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, []);

  const journal = report?.journal;
  return (
    <Modal label="Verify case" className="verify-dialog" onClose={onClose}>
      <header>
        <h2>Verify case</h2>
      </header>
      {!report && !error && <p className="muted">Re-checking the journal and hashing the input files…</p>}
      <ErrorNote message={error} />
      {report && journal && (
        <>
          <p role="status" className={report.ok ? 'verify-ok' : 'verify-bad'}>
            {report.ok ? 'Verified.' : 'Not verified.'}{' '}
            {journal.broken
              ? `The journal is broken at entry ${journal.broken.seq}: ${journal.broken.reason}.`
              : `The journal's ${journal.entries} entries are intact.`}
          </p>
          {journal.head && (
            <p>
              Journal head <span className="mono verify-hash">{journal.head}</span>
              <span className="muted"> — note it down: it pins the case's history up to now.</span>
            </p>
          )}
          <table className="verify-table">
            <caption>Input files</caption>
            <tbody>
              {report.inputs.map((input) => (
                <tr key={input.importId} className={input.state === 'changed' ? 'verify-bad' : undefined}>
                  <td>{STATE_TEXT[input.state]}</td>
                  <td className="mono">{cellText(input.path)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="verify-table">
            <caption>Latest journal entries</caption>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq}>
                  <td className="mono">{entry.seq}</td>
                  <td className="mono">{new Date(entry.time).toISOString()}</td>
                  <td>{cellText(entry.action)}</td>
                  <td className="mono">{cellText(entrySummary(entry))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <footer>
        <button type="button" autoFocus onClick={onClose}>
          Close
        </button>
      </footer>
    </Modal>
  );
}
