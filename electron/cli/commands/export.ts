import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ExportFormat } from '../../../shared/domain/export.ts';
import { CaseSession } from '../../engine/case-session.ts';
import { existingCaseFile } from '../../engine/cases/case-host.ts';
import { CliError, UsageError } from '../cli-error.ts';
import { separateSearchTerms } from '../search-args.ts';
import { queryFromArgs } from './query.ts';

export const EXPORT_HELP = `Usage: auditscope export --case <file> --format <f> --out <file> [options] ['<search>']

Writes every event of a search (all events without one) to a file, streamed, and records the
export (file, SHA-256, query) in the case journal. For scripts and schedules (cron, CI).

Options:
  --case <file>      the case file (required)
  --format <f>       csv (formula-safe), json, ndjson, or raw (the original records)
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
  if (!format.success) throw new UsageError('export: --format is csv, json, ndjson or raw');
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
    const summary = await session.exportEvents(query, { file: out, format: format.data, bom: values.bom });
    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else
      console.log(
        `${summary.events} events → ${summary.file} (${summary.bytes} bytes, sha256 ${summary.sha256})`,
      );
    return 0;
  } finally {
    await session.close();
  }
}
