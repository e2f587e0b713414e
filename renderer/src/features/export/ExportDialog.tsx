import { useEffect, useMemo, useState } from 'react';
import type { EventQuery } from '../../../../shared/domain/query.ts';
import {
  EXPORT_DOWNLOAD_PATH,
  EXPORT_REQUEST_FIELD,
  isReportFormat,
  type ExportFormat,
  type ExportProgress,
  type ExportSummary,
} from '../../../../shared/domain/export.ts';
import { REPORT_TEMPLATES, type ReportTemplateId } from '../../../../shared/domain/report.ts';
import { Modal } from '../../components/Modal.tsx';
import { EventScope } from '../../components/EventScope.tsx';
import { useEscapeToClose } from '../../components/use-escape.ts';
import { call, isDesktop, onPush } from '../../lib/api.ts';
import { cellText, formatCount } from '../../lib/format.ts';
import { useCase } from '../../stores/case.ts';

const FORMATS: readonly [ExportFormat, string, string][] = [
  ['csv', 'CSV', 'normalized fields, for spreadsheets (formulas defused)'],
  ['json', 'JSON', 'one array of events, normalized fields and original record'],
  ['ndjson', 'NDJSON', 'one event per line, normalized fields and original record'],
  ['raw', 'Original records', 'each record as it was imported, one per line'],
  ['html', 'HTML report', 'a report to read or hand over: summary, timeline, events, custody'],
  ['pdf', 'PDF report', 'the same report as a PDF, printed with scripts off'],
];

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

type Phase =
  | { name: 'choose' }
  | { name: 'running'; jobId: string; progress?: ExportProgress }
  | { name: 'done'; summary: ExportSummary }
  | { name: 'failed'; message: string };

/**
 * Export… : every event of the current search, filters and time range (or the rows selected), in
 * the order shown, as an event file or a report (HTML, PDF; the case report or a compliance
 * template). The desktop app writes the file chosen in the system's save dialog, streamed with
 * progress and cancel, and reports its SHA-256; serve mode downloads it through the browser.
 */
export function ExportDialog({
  query: searchQuery,
  seqs,
  onClose,
}: {
  query: EventQuery;
  /** The rows selected in the table, when the export was asked for them. */
  seqs?: number[];
  onClose(): void;
}) {
  const [scope, setScope] = useState<'search' | 'selection'>(seqs ? 'selection' : 'search');
  const query = useMemo(
    () => (scope === 'selection' && seqs ? { seqs, order: searchQuery.order } : searchQuery),
    [scope, seqs, searchQuery],
  );
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [template, setTemplate] = useState<ReportTemplateId>('case');
  const report = isReportFormat(format);
  const [bom, setBom] = useState(true);
  // Keyed by the query it counted: another scope shows "Counting…", not the last one's figure.
  const [counted, setCounted] = useState<{ query: EventQuery; total: number } | undefined>();
  const total = counted?.query === query ? counted.total : undefined;
  const [phase, setPhase] = useState<Phase>({ name: 'choose' });
  const running = phase.name === 'running';
  useEscapeToClose(running ? () => undefined : onClose);

  useEffect(() => {
    let live = true;
    call('query.total', query).then(
      (n) => live && setCounted({ query, total: n }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [query]);

  useEffect(() => {
    if (phase.name !== 'running') return;
    const { jobId } = phase;
    return onPush('export.progress', (progress) => {
      if (progress.jobId === jobId) setPhase({ name: 'running', jobId, progress });
    });
  }, [phase]);

  const start = async (): Promise<void> => {
    const withBom = format === 'csv' && bom;
    if (!isDesktop()) {
      // The browser downloads it: a form posted to the server carries the request (a selection
      // of thousands of rows would not fit in a link), the token cookie authorizes it.
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = EXPORT_DOWNLOAD_PATH;
      const field = document.createElement('input');
      field.type = 'hidden';
      field.name = EXPORT_REQUEST_FIELD;
      field.value = JSON.stringify({ query, format, bom: withBom, ...(report ? { template } : {}) });
      form.append(field);
      document.body.append(form);
      form.submit();
      form.remove();
      onClose();
      return;
    }
    const name = `${useCase.getState().info?.name ?? 'auditscope'}-${report ? template : 'export'}`;
    try {
      const path = await call('shell.chooseExportFile', format, name);
      if (path === null) return;
      const jobId = `export-${Date.now().toString(36)}`;
      setPhase({ name: 'running', jobId });
      const summary = await call('export.start', query, {
        format,
        path,
        jobId,
        bom: withBom,
        ...(report ? { template } : {}),
      });
      setPhase({ name: 'done', summary });
    } catch (error) {
      setPhase({ name: 'failed', message: (error as Error).message });
    }
  };

  return (
    <Modal label="Export events" className="export-dialog" onClose={running ? () => undefined : onClose}>
      <header>
        <h2>Export events</h2>
      </header>
      {phase.name === 'choose' && (
        <>
          {seqs ? <EventScope legend="Events" seqs={seqs} scope={scope} onScope={setScope} /> : null}
          <p>
            {total === undefined ? 'Counting…' : `${formatCount(total)} events`} —{' '}
            {scope === 'selection' ? 'the selected rows' : 'the current search, filters and time range'}, in
            the table’s order.
          </p>
          <fieldset className="export-formats">
            <legend className="muted">Format</legend>
            {FORMATS.map(([id, label, what]) => (
              <label key={id}>
                <input type="radio" name="format" checked={format === id} onChange={() => setFormat(id)} />
                <strong>{label}</strong> <span className="muted">{what}</span>
              </label>
            ))}
          </fieldset>
          {report && (
            <label className="export-template">
              Report{' '}
              <select value={template} onChange={(e) => setTemplate(e.target.value as ReportTemplateId)}>
                {REPORT_TEMPLATES.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.title}
                  </option>
                ))}
              </select>{' '}
              <span className="muted">{REPORT_TEMPLATES.find((t) => t.id === template)?.description}</span>
            </label>
          )}
          {format === 'csv' && (
            <label className="export-bom">
              <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} /> Start with a
              UTF-8 byte-order mark (spreadsheet programs need it to read non-ASCII text)
            </label>
          )}
          <footer>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="primary" disabled={total === 0} onClick={() => void start()}>
              {isDesktop() ? 'Export…' : 'Download'}
            </button>
          </footer>
        </>
      )}
      {phase.name === 'running' && (
        <>
          <p>
            {report
              ? 'Making the report…'
              : `Exporting ${formatCount(phase.progress?.written ?? 0)} of ${formatCount(phase.progress?.total ?? total ?? 0)} events…`}
          </p>
          <progress
            className="export-progress"
            max={Math.max(1, phase.progress?.total ?? total ?? 1)}
            value={phase.progress?.written ?? 0}
          />
          <footer>
            <button type="button" onClick={() => void call('export.cancel', phase.jobId)}>
              Cancel export
            </button>
          </footer>
        </>
      )}
      {phase.name === 'done' && (
        <>
          <p>
            {report ? 'Wrote a report of' : 'Exported'} {formatCount(phase.summary.events)} events (
            {formatBytes(phase.summary.bytes)}) in {(phase.summary.elapsedMs / 1000).toFixed(1)} s.
          </p>
          <dl className="export-summary">
            <dt>File</dt>
            <dd className="mono">{cellText(phase.summary.file)}</dd>
            <dt>SHA-256</dt>
            <dd className="mono">{phase.summary.sha256}</dd>
          </dl>
          <footer>
            <button type="button" className="primary" autoFocus onClick={onClose}>
              Close
            </button>
          </footer>
        </>
      )}
      {phase.name === 'failed' && (
        <>
          <p className="app-error" role="alert">
            {phase.message}
          </p>
          <footer>
            <button type="button" onClick={() => setPhase({ name: 'choose' })}>
              Back
            </button>
            <button type="button" onClick={onClose}>
              Close
            </button>
          </footer>
        </>
      )}
    </Modal>
  );
}
