import { z } from 'zod';
import { EventQuery } from './query.ts';
import { ReportTemplateId } from './report.ts';

/** Event files: see electron/engine/export/write-events.ts for each format. */
export const EVENT_FORMATS = ['csv', 'json', 'ndjson', 'raw'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];
/** Reports: see electron/engine/report. */
export const REPORT_FORMATS = ['html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const ExportFormat = z.enum([...EVENT_FORMATS, ...REPORT_FORMATS]);
export type ExportFormat = z.infer<typeof ExportFormat>;

export function isReportFormat(format: ExportFormat): format is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(format);
}

export const ExportProgress = z.object({
  jobId: z.string(),
  written: z.number().int(),
  total: z.number().int(),
});
export type ExportProgress = z.infer<typeof ExportProgress>;

export const ExportSummary = z.object({
  file: z.string(),
  format: ExportFormat,
  events: z.number().int(),
  bytes: z.number().int(),
  /** Of the file as written: recorded so a copy can be checked against it later. */
  sha256: z.string(),
  elapsedMs: z.number(),
});
export type ExportSummary = z.infer<typeof ExportSummary>;

/**
 * Serve mode downloads an export by posting a form to this path (the desktop app writes a file
 * instead): a POST, so a selection of thousands of rows fits, and its Origin can be checked.
 */
export const EXPORT_DOWNLOAD_PATH = '/export';
export const ExportDownload = z.object({
  query: EventQuery,
  format: ExportFormat,
  bom: z.boolean().optional(),
  template: ReportTemplateId.optional(),
});
export type ExportDownload = z.infer<typeof ExportDownload>;

/** The form field the request travels in (JSON), urlencoded like any form. */
export const EXPORT_REQUEST_FIELD = 'request';
