import { createHash } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import type { EventQuery } from '../../../shared/domain/query.ts';
import type { ExportSummary, ReportFormat } from '../../../shared/domain/export.ts';
import type { ReportTemplateId } from '../../../shared/domain/report.ts';
import { collectReport, type ReportReader } from './report-data.ts';
import { renderReportHtml } from './report-html.ts';
import type { PdfPrinter } from './pdf-printer.ts';

export interface ReportJob {
  file: string;
  format: ReportFormat;
  template: ReportTemplateId;
  title?: string;
  version: string;
  printPdf: PdfPrinter;
  /** Cancels between the steps (reading, rendering, printing); nothing is written then. */
  signal?: AbortSignal;
}

/**
 * Writes a report of `query` to `job.file` as HTML or PDF, through `<file>.partial` and a rename
 * like every export, and returns what the journal records of it (its SHA-256 among others).
 */
export async function exportReport(
  reader: ReportReader,
  casePath: string,
  query: EventQuery,
  job: ReportJob,
): Promise<ExportSummary & { template: ReportTemplateId }> {
  const started = Date.now();
  const stop = (): void => {
    if (job.signal?.aborted) throw new Error('export cancelled');
  };
  const data = await collectReport(reader, casePath, query, job);
  stop();
  const html = renderReportHtml(data);
  const bytes = job.format === 'pdf' ? await job.printPdf(html) : Buffer.from(html, 'utf8');
  stop();
  const partial = `${job.file}.partial`;
  try {
    await writeFile(partial, bytes);
    await rename(partial, job.file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return {
    file: job.file,
    format: job.format,
    template: job.template,
    events: data.scope.matched,
    bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    elapsedMs: Date.now() - started,
  };
}
