import { useEffect, useState } from 'react';
import { cellText, formatCount } from '../../lib/format.ts';
import { jobTotals, useImports } from '../../stores/imports.ts';
import { cancelImport } from './import-files.ts';
import { RejectsViewer } from './RejectsViewer.tsx';

/** A file's name for people: serve mode's upload copies carry a time-and-random prefix. */
function displayName(filePath: string): string {
  const base = filePath.split(/[/\\]/).pop() ?? filePath;
  return base.replace(/^\d{10,}-[0-9a-f]{8}-/, '');
}

function formatEta(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}

/** The import in progress (events/s, MB/s, ETA, cancel), then its summary with the rejects. */
export function ImportPanel() {
  const job = useImports((s) => s.job);
  const dismiss = useImports((s) => s.dismiss);
  const [rejectsOf, setRejectsOf] = useState<{ importId: number; name: string } | undefined>();
  const [, setTick] = useState(0);
  const running = job?.phase === 'uploading' || job?.phase === 'importing';

  // Rates and ETA move with time even between progress pushes.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setTick((t) => t + 1), 500);
    return () => clearInterval(timer);
  }, [running]);

  if (!job) return null;
  const totals = jobTotals(job);
  const share = totals.totalBytes > 0 ? Math.min(1, totals.bytesRead / totals.totalBytes) : 0;
  return (
    <section className="import-panel" aria-label="Import">
      <header>
        <strong>
          {job.phase === 'uploading' && `Uploading ${job.names.length} file(s)…`}
          {job.phase === 'importing' &&
            (job.cancelling ? 'Cancelling…' : `Importing ${job.names.length} file(s)`)}
          {job.phase === 'done' && 'Import finished'}
          {job.phase === 'failed' && 'Import failed'}
        </strong>
        {running ? (
          <button
            type="button"
            className="text-button"
            onClick={() => void cancelImport()}
            disabled={job.cancelling}
          >
            Cancel
          </button>
        ) : (
          <button type="button" className="icon-button" aria-label="Close import summary" onClick={dismiss}>
            ✕
          </button>
        )}
      </header>
      {running && (
        <div className="import-progress">
          <div className="progress-track" role="progressbar" aria-valuenow={Math.round(share * 100)}>
            <div className="progress-fill" style={{ width: `${share * 100}%` }} />
          </div>
          <div className="import-rates">
            <span>{formatCount(totals.events)} events</span>
            <span>{formatCount(Math.round(totals.eventsPerSecond))} ev/s</span>
            <span>{totals.megabytesPerSecond.toFixed(1)} MB/s</span>
            <span>ETA {formatEta(totals.etaSeconds)}</span>
          </div>
        </div>
      )}
      {job.error && (
        <p className="warning" role="alert">
          {cellText(job.error)}
        </p>
      )}
      {job.summary && (
        <>
          <p className="import-totals">
            <b>{formatCount(job.summary.totals.accepted)}</b> new ·{' '}
            {formatCount(job.summary.totals.duplicates)} duplicates ·{' '}
            <b className={job.summary.totals.rejected > 0 ? 'warning' : ''}>
              {formatCount(job.summary.totals.rejected)}
            </b>{' '}
            rejected · {(job.summary.elapsedMs / 1000).toFixed(1)} s
          </p>
          <table className="import-files">
            <thead>
              <tr>
                <th>File</th>
                <th>Format</th>
                <th>New</th>
                <th>Dup.</th>
                <th>Rejected</th>
              </tr>
            </thead>
            <tbody>
              {job.summary.files.map((file) => {
                const name = displayName(file.path);
                return (
                  <tr key={file.path} className={file.status === 'complete' ? '' : 'failed'}>
                    <td title={cellText(file.error ?? file.path)}>
                      {cellText(name)}
                      {file.status !== 'complete' && (
                        <div className="warning">{cellText(file.error ?? file.status)}</div>
                      )}
                    </td>
                    <td>{cellText(file.format ?? '—')}</td>
                    <td>{formatCount(file.accepted)}</td>
                    <td>{formatCount(file.duplicates)}</td>
                    <td>
                      {file.rejected > 0 && file.importId !== null ? (
                        <button
                          type="button"
                          className="text-button"
                          onClick={() => setRejectsOf({ importId: file.importId as number, name })}
                        >
                          {formatCount(file.rejected)} — view
                        </button>
                      ) : (
                        '0'
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
      {rejectsOf && (
        <RejectsViewer
          importId={rejectsOf.importId}
          name={rejectsOf.name}
          onClose={() => setRejectsOf(undefined)}
        />
      )}
    </section>
  );
}
