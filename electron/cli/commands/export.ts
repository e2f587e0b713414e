import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ExportFormat, isReportFormat } from '../../../shared/domain/export.ts';
import { REPORT_TEMPLATES, ReportTemplateId } from '../../../shared/domain/report.ts';
import { CaseSession } from '../../engine/case-session.ts';
import { existingCaseFile } from '../../engine/cases/case-host.ts';
import { CliError, UsageError } from '../cli-error.ts';
import { separateSearchTerms } from '../search-args.ts';
import { queryFromArgs } from './query.ts';

export const EXPORT_HELP = `Usage: auditscope export --case <file> --format <f> --out <file> [options] ['<search>']

Writes every event of a search (all events without one) to a file, streamed, or a report of them
as HTML or PDF, and records the export (file, SHA-256, query) in the case journal. For scripts and
schedules (cron, CI).

Options:
  --case <file>      the case file (required)
  --format <f>       csv (formula-safe), json, ndjson, raw (the original records),
                     or a report: html, pdf (PDF needs Chromium, Chrome or Edge: found in the
                     usual places, or named by AUDITSCOPE_CHROMIUM)
  --template <t>     the report (html, pdf): ${REPORT_TEMPLATES.map((t) => t.id).join(', ')}
                     (default case)
  --title <text>     the report's title (default: the template's)
  --out <file>       where to write (required; never over an existing file without --force)
  --from <time>      events at or after: ISO 8601, epoch, or an age like 24h, 7d
  --to <time>        events before (same forms)
  --order asc|desc   by time (default asc, oldest first)
  --bom              start a CSV with a UTF-8 byte-order mark (spreadsheet programs)
  --force            replace an existing --out file
  --json             print the summary (file, events, bytes, sha256) as JSON
  -h, --help         show this help`;

const OPTIONS = {
  case: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  order: { type: 'string' },
  bom: { type: 'boolean' },
  template: { type: 'string' },
  title: { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: separateSearchTerms(argv, OPTIONS),
    allowPositionals: true,
    options: OPTIONS,
  });
  if (values.help) {
    console.log(EXPORT_HELP);
    return 0;
  }
  if (!values.case) throw new UsageError('export: --case <file> is required');
  if (!values.out) throw new UsageError('export: --out <file> is required');
  const format = ExportFormat.safeParse(values.format);
  if (!format.success) throw new UsageError('export: --format is csv, json, ndjson, raw, html or pdf');
  const template = ReportTemplateId.safeParse(values.template ?? 'case');
  if (!template.success)
    throw new UsageError(`export: --template is one of ${REPORT_TEMPLATES.map((t) => t.id).join(', ')}`);
  if ((values.template !== undefined || values.title !== undefined) && !isReportFormat(format.data))
    throw new UsageError('export: --template and --title are for --format html or pdf');
  const query = queryFromArgs('export', positionals.join(' '), { ...values, order: values.order ?? 'asc' });
  let casePath: string;
  try {
    // Never creates a case: a mistyped path or an empty file is refused.
    casePath = existingCaseFile(values.case);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const out = path.resolve(values.out);
  if (existsSync(out) && !values.force) throw new CliError(`${out} exists: choose another --out, or --force`);

  // Opened for writing: the export is journaled in the case.
  const session = await CaseSession.open(casePath);
  try {
    const summary = await session.exportEvents(query, {
      file: out,
      format: format.data,
      bom: values.bom,
      template: template.data,
      title: values.title,
    });
    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else
      console.log(
        `${isReportFormat(summary.format) ? 'report of ' : ''}${summary.events} events → ${summary.file} (${summary.bytes} bytes, sha256 ${summary.sha256})`,
      );
    return 0;
  } finally {
    await session.close();
  }
}
