import { useEffect, useState } from 'react';
import type { RejectRow } from '../../../../shared/domain/import.ts';
import { Modal } from '../../components/Modal.tsx';
import { call } from '../../lib/api.ts';
import { cellText, formatCount } from '../../lib/format.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';

const PAGE = 100;

/** The records an import rejected: where they were (line, byte offset), why, and how they began. */
export function RejectsViewer({
  importId,
  name,
  onClose,
}: {
  importId: number;
  name: string;
  onClose(): void;
}) {
  const [start, setStart] = useState(0);
  const [rows, setRows] = useState<{ start: number; rows: RejectRow[] } | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    call('case.rejects', importId, start, PAGE).then(
      (page) => {
        if (live) setRows({ start, rows: page });
      },
      (e: Error) => {
        if (live) setError(e.message);
      },
    );
    return () => {
      live = false;
    };
  }, [importId, start]);

  return (
    <Modal label={`Rejected records of ${name}`} onClose={onClose}>
      <header>
        <h2>Rejected records — {cellText(name)}</h2>
        <button type="button" className="icon-button" aria-label="Close rejects" onClick={onClose}>
          ✕
        </button>
      </header>
      <ErrorNote message={error} />
      <table className="rejects">
        <thead>
          <tr>
            <th>Line</th>
            <th>Byte offset</th>
            <th>Length</th>
            <th>Reason</th>
            <th>First bytes</th>
          </tr>
        </thead>
        <tbody>
          {rows?.rows.map((row) => (
            <tr key={row.offset}>
              <td>{formatCount(row.line)}</td>
              <td>{formatCount(row.offset)}</td>
              <td>{formatCount(row.length)}</td>
              <td>{cellText(row.reason)}</td>
              <td className="mono">{cellText(row.head)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <footer>
        <button type="button" disabled={start === 0} onClick={() => setStart(Math.max(0, start - PAGE))}>
          Previous
        </button>
        <span className="muted">
          {rows ? `${formatCount(rows.start + 1)}–${formatCount(rows.start + rows.rows.length)}` : '…'}
        </span>
        <button
          type="button"
          disabled={(rows?.rows.length ?? 0) < PAGE}
          onClick={() => setStart(start + PAGE)}
        >
          Next
        </button>
      </footer>
    </Modal>
  );
}
