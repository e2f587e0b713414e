import { existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CaseSession } from '../../engine/case-session.ts';
import { FORMAT_IDS, type FormatId } from '../../engine/ingest/types.ts';
import { GENERIC_FIELDS } from '../../engine/ingest/normalize/generic.ts';
import { makeControlsVisible, terminalSafeJson } from '../../../shared/lib/visible-text.ts';
import { ProgressLine, formatCount, formatProgress } from '../progress-bar.ts';
import { CliError, UsageError } from '../cli-error.ts';
import type { ImportSummary } from '../../../shared/domain/import.ts';

export const IMPORT_HELP = `Usage: auditscope import <files or folders…> --case <file> [options]

Imports audit logs into a case file (created if missing). Formats and containers are detected:
CloudTrail, Okta, GitHub, Kubernetes audit, Linux auditd, Azure/Entra, Google Workspace, any
JSON / NDJSON / CSV; gzip; folders. Re-importing the same events adds nothing (duplicates counted).

Options:
  --case <file>        case file to import into (required)
  --format <id>        skip detection: ${FORMAT_IDS.join(', ')}
  --map <field=path>   generic format: map a field explicitly (repeatable), e.g. --map time=ts --map actor=who
  --max-record-bytes N records larger than N bytes are rejected (default 33554432)
  --skip-fts           return without building the free-text index (the app builds it in the background)
  --json               print a machine-readable summary on stdout
  -h, --help           show this help`;

const MAPPABLE: readonly string[] = GENERIC_FIELDS;

export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      case: { type: 'string' },
      format: { type: 'string' },
      map: { type: 'string', multiple: true },
      'max-record-bytes': { type: 'string' },
      'skip-fts': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(IMPORT_HELP);
    return 0;
  }
  if (!values.case) throw new UsageError('import: --case <file> is required');
  if (positionals.length === 0) throw new UsageError('import: name at least one file or folder');
  if (values.format && !(FORMAT_IDS as readonly string[]).includes(values.format)) {
    throw new UsageError(`import: unknown --format ${values.format} (one of ${FORMAT_IDS.join(', ')})`);
  }
  const mapping = parseMapping(values.map ?? []);
  const maxRecordBytes = values['max-record-bytes'] ? Number(values['max-record-bytes']) : undefined;
  if (maxRecordBytes !== undefined && !(Number.isInteger(maxRecordBytes) && maxRecordBytes > 0)) {
    throw new UsageError('import: --max-record-bytes takes a positive whole number');
  }

  const caseExisted = existsSync(values.case);
  // A run that stored nothing leaves no trace: not even the case file it would have made.
  const removeNewCase = (): void => {
    if (!caseExisted)
      for (const suffix of ['', '-wal', '-shm']) rmSync(values.case + suffix, { force: true });
  };
  const session = await CaseSession.open(values.case);
  const progressLine = process.stderr.isTTY && !values.json ? new ProgressLine(process.stderr) : undefined;
  let fileIndex = 0;
  const seen = new Set<string>();
  let summary: ImportSummary;
  try {
    summary = await session.import(positionals, {
      format: values.format as FormatId | undefined,
      mapping,
      maxRecordBytes,
      onProgress: (progress) => {
        if (!seen.has(progress.path)) {
          seen.add(progress.path);
          fileIndex++;
        }
        progressLine?.draw(formatProgress(progress, fileIndex, 0), progress.status !== 'running');
      },
    });
    if (!values['skip-fts']) {
      progressLine?.draw('building the free-text index…', true);
      await session.buildFreeTextIndex();
    }
  } catch (error) {
    progressLine?.clear();
    await session.close();
    removeNewCase();
    throw error;
  }
  progressLine?.clear();
  await session.close();

  if (values.json) console.log(terminalSafeJson(JSON.stringify(summary, null, 2)));
  else printSummary(summary);
  const stored = summary.totals.accepted + summary.totals.duplicates;
  if (stored === 0 && summary.totals.rejected === 0) removeNewCase();
  if (summary.files.length > 0 && summary.files.every((f) => f.status !== 'complete')) {
    const first = summary.files[0];
    throw new CliError(`import failed: ${first?.error ?? first?.status ?? 'no file imported'}`);
  }
  return summary.totals.failedFiles > 0 ? 1 : 0;
}

function parseMapping(entries: string[]): Record<string, string> | undefined {
  if (entries.length === 0) return undefined;
  const mapping: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const entry of entries) {
    const [field, path] = entry.split('=', 2);
    if (!field || !path || !MAPPABLE.includes(field)) {
      throw new UsageError(`import: --map takes <field>=<path> with field one of ${MAPPABLE.join(', ')}`);
    }
    mapping[field] = path;
  }
  return mapping;
}

function printSummary(summary: ImportSummary): void {
  const show = (text: string): string => makeControlsVisible(text);
  for (const file of summary.files) {
    const counts = `${formatCount(file.accepted)} imported, ${formatCount(file.duplicates)} duplicates, ${formatCount(file.rejected)} rejected`;
    const detail =
      file.status === 'complete'
        ? `${file.format} · ${counts}`
        : `${file.status.toUpperCase()}: ${file.error ?? ''}`;
    console.log(`${show(file.path)}\n  ${show(detail)}${file.sha256 ? `\n  sha256 ${file.sha256}` : ''}`);
  }
  const { totals } = summary;
  console.log(
    `\n${summary.files.length} file(s): ${totals.accepted} imported, ${totals.duplicates} duplicates, ${totals.rejected} rejected` +
      (totals.failedFiles ? `, ${totals.failedFiles} failed` : '') +
      ` in ${(summary.elapsedMs / 1000).toFixed(1)} s (${formatCount(summary.eventsPerSecond)} events/s)`,
  );
}
