import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { entityLabel } from '../../../shared/domain/alert.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import { makeControlsVisible } from '../../../shared/lib/visible-text.ts';
import { CaseSession } from '../../engine/case-session.ts';
import { openCaseForReading } from '../../engine/store/case-db.ts';
import { FileTail, type TailStatus } from '../../engine/tail/tail-file.ts';
import { writeEvents, type OutputFormat } from '../../engine/export/write-events.ts';
import { CliError, UsageError } from '../cli-error.ts';
import { ruleFolders } from '../resource-paths.ts';
import type { StoredEvent } from '../../engine/query/case-queries.ts';

export const TAIL_HELP = `Usage: auditscope tail --file <path> [--case <file>] [--format ndjson|table|csv]
                       [--from-start] [--alerts] ['<search>']

Follows a log file as it grows (tail -F: appends, rotation, truncation) and prints its events as
they arrive, normalized like an import, filtered by the search if one is given. With --case the
events are stored in that case (created if missing) and a later tail of the same file resumes
where this one stopped; without it they go to a temporary case removed at exit. Stop with Ctrl-C:
what was read is stored first.

Options:
  --file <path>     the log file to follow (it may not exist yet)
  --case <file>     store the events in this case
  --format <f>      ndjson (default when piped), table (default on a terminal), csv
  --from-start      read the file from its beginning (default: only what is appended from now,
                    unless --case names a case that already followed this file)
  --alerts          print high and critical alerts the new events raise to stderr
  -h, --help        show this help

Database tables (--source) cannot be tailed yet: only files.`;

const FORMATS = ['ndjson', 'table', 'csv'] as const;

export async function tailCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      file: { type: 'string' },
      case: { type: 'string' },
      format: { type: 'string' },
      'from-start': { type: 'boolean' },
      alerts: { type: 'boolean' },
      source: { type: 'string' },
      table: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(TAIL_HELP);
    return 0;
  }
  if (values.source)
    throw new CliError('tail: database tables cannot be tailed yet; tail a file with --file');
  if (!values.file) throw new UsageError('tail: --file <path> is required');
  const format = (values.format ?? (process.stdout.isTTY ? 'table' : 'ndjson')) as OutputFormat;
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`tail: unknown --format ${format}`);
  const parsed = parseSearch(positionals.join(' '));
  if (!parsed.ok) throw new UsageError(`tail: ${parsed.error.message}`);

  const scratch = values.case ? undefined : mkdtempSync(path.join(tmpdir(), 'auditscope-tail-'));
  const casePath = values.case ?? path.join(scratch as string, 'tail.auditscope');
  const session = await CaseSession.open(casePath);
  const db = openCaseForReading(casePath);
  try {
    let printed = db.prepare('SELECT coalesce(max(rowid), 0) FROM events').pluck().get() as number;
    if (values.alerts) await session.watchAlerts(ruleFolders());
    const tail = await FileTail.start(session, values.file, { fromEnd: !values['from-start'] });
    const newRows = db.prepare('SELECT rowid FROM events WHERE rowid > ? ORDER BY rowid LIMIT 10000').pluck();

    // Batches of new events, as the tail stores them, until Ctrl-C.
    const waiting: (() => void)[] = [];
    let stopping = false;
    const wake = (): void => {
      for (const w of waiting.splice(0)) w();
    };
    tail.onUpdate((status, batch) => {
      if (batch || status.state === 'stopped' || status.state === 'failed') wake();
      if (status.state === 'failed')
        console.error(`auditscope tail: ${makeControlsVisible(status.error ?? 'failed')}`);
    });
    const stop = (): void => {
      stopping = true;
      wake();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);

    let status: TailStatus | undefined;
    let final = false;
    await writeEvents(process.stdout, format, async function* () {
      for (;;) {
        for (;;) {
          const seqs = newRows.all(printed) as number[];
          if (seqs.length === 0) break;
          printed = seqs[seqs.length - 1] as number;
          const handle = await session.read.openResult({
            seqs,
            order: 'asc',
            ...(parsed.filter ? { filter: parsed.filter } : {}),
          });
          const rows: StoredEvent[] = await session.read.rows(handle, 0, seqs.length);
          await session.read.closeResult(handle);
          if (rows.length > 0) yield rows;
          if (values.alerts)
            for (const alert of await session.raiseNewAlerts())
              if (!alert.suppressed && (alert.level === 'high' || alert.level === 'critical'))
                console.error(
                  `auditscope tail: ${alert.level} alert: ${makeControlsVisible(alert.title)} ${makeControlsVisible(entityLabel(alert.entity))} (${alert.count} events)`,
                );
        }
        if (final) return;
        if (stopping || tail.status.state === 'failed') {
          // What the tail still holds (an auditd event waiting for its lines) is stored, then printed.
          status = await tail.stop();
          final = true;
          continue;
        }
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    });
    status ??= await tail.stop();
    console.error(
      `auditscope tail: ${status.events} events stored, ${status.duplicates} duplicates, ${status.rejected} rejected, ` +
        `${status.rotations} rotations, ${status.truncations} truncations${values.case ? ` in ${values.case}` : ''}`,
    );
    return status.state === 'failed' ? 1 : 0;
  } finally {
    db.close();
    await session.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
