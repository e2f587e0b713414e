import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { entityLabel } from '../../../shared/domain/alert.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import { makeControlsVisible } from '../../../shared/lib/visible-text.ts';
import { CaseSession } from '../../engine/case-session.ts';
import { lastEventRowid, openCaseForReading } from '../../engine/store/case-db.ts';
import { FileTail } from '../../engine/tail/tail-file.ts';
import { lastStoredTime, TableTail } from '../../engine/tail/table-tail.ts';
import { openServerReader } from '../../engine/sources/open-reader.ts';
import { serverSource, type ServerSource } from '../source-url.ts';
import { proposeMapping } from '../../engine/ingest/normalize/generic.ts';
import { SourceMapping } from '../../../shared/domain/source.ts';
import { writeEvents, type OutputFormat } from '../../engine/export/write-events.ts';
import { CliError, UsageError } from '../cli-error.ts';
import { ruleFolders } from '../resource-paths.ts';
import type { StoredEvent } from '../../engine/query/case-queries.ts';

export const TAIL_HELP = `Usage: auditscope tail (--file <path> | --source <url> --table <name> [--mapping <file>])
                       [--case <file>] [--format ndjson|table|csv] [--from-start] [--alerts] ['<search>']

Follows a log file as it grows (tail -F: appends, rotation, truncation), or a database table as
rows are committed, and prints the events as they arrive, normalized like an import, filtered by
the search if one is given. With --case the events are stored in that case (created if missing)
and a later tail of the same file resumes where this one stopped; without it they go to a
temporary case removed at exit. Stop with Ctrl-C: what was read is stored first.

Options:
  --file <path>       the log file to follow (it may not exist yet)
  --source <url>      a database: postgres://user@host:port/database or mysql://… (MySQL,
                      MariaDB; ?sslmode=disable for a server without TLS; ?sslrootcert=<file>
                      to trust that one certificate; else the certificate and host name are
                      verified). The password comes from AUDITSCOPE_PASSWORD, else a prompt:
                      never from the URL, which would keep it in shell history.
  --table <name>      the table or view to follow (PostgreSQL: schema.table), read in time order
  --mapping <file>    JSON {"time": column, "actor": …, "action": …} (default: proposed from the
                      column names; the time column is required)
  --overlap <time>    how far back each poll of a table reads again, for rows that commit out
                      of order (default 10s; 30s, 2m…)
  --notify <channel>  PostgreSQL: poll at once when the application NOTIFYs this channel (a
                      trigger on the table; a hint only: polls go on every second regardless)
  --case <file>       store the events in this case
  --format <f>        ndjson (default when piped), table (default on a terminal), csv
  --from-start        a file from its beginning, a table from its first row (default: only
                      what arrives from now, unless --case names a case that followed the file)
  --alerts            print high and critical alerts the new events raise to stderr
  -h, --help          show this help`;

const FORMATS = ['ndjson', 'table', 'csv'] as const;

/** A tail of either kind, as the printing loop sees it. */
interface Followed {
  onUpdate(listener: () => void): void;
  failure(): string | undefined;
  /** Stops (storing what was read) and says what was stored. */
  stop(): Promise<string>;
}

export async function tailCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      file: { type: 'string' },
      source: { type: 'string' },
      table: { type: 'string' },
      mapping: { type: 'string' },
      overlap: { type: 'string' },
      notify: { type: 'string' },
      case: { type: 'string' },
      format: { type: 'string' },
      'from-start': { type: 'boolean' },
      alerts: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(TAIL_HELP);
    return 0;
  }
  if (!values.file === !values.source)
    throw new UsageError('tail: give either --file <path> or --source <url>');
  if (values.source && !values.table) throw new UsageError('tail: --table <name> is required with --source');
  const format = (values.format ?? (process.stdout.isTTY ? 'table' : 'ndjson')) as OutputFormat;
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`tail: unknown --format ${format}`);
  const parsed = parseSearch(positionals.join(' '));
  if (!parsed.ok) throw new UsageError(`tail: ${parsed.error.message}`);
  const database = values.source ? await serverSource(values.source, 'tail') : undefined;

  const scratch = values.case ? undefined : mkdtempSync(path.join(tmpdir(), 'auditscope-tail-'));
  const casePath = values.case ?? path.join(scratch as string, 'tail.auditscope');
  const session = await CaseSession.open(casePath);
  const db = openCaseForReading(casePath);
  try {
    let printed = lastEventRowid(db);
    if (values.alerts) await session.watchAlerts(ruleFolders());
    const tail = database
      ? await followTable(session, database, {
          table: values.table as string,
          mapping: values.mapping,
          overlap: values.overlap,
          notify: values.notify,
          fromStart: values['from-start'] === true,
        })
      : await followFile(session, values.file as string, values['from-start'] === true);
    const newRows = db.prepare('SELECT rowid FROM events WHERE rowid > ? ORDER BY rowid LIMIT 10000').pluck();

    // Batches of new events, as the tail stores them, until Ctrl-C.
    const waiting: (() => void)[] = [];
    let stopping = false;
    const wake = (): void => {
      for (const w of waiting.splice(0)) w();
    };
    tail.onUpdate(wake);
    const stop = (): void => {
      stopping = true;
      wake();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);

    let summary: string | undefined;
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
        if (summary !== undefined) return;
        if (stopping || tail.failure() !== undefined) {
          // What the tail still holds (an auditd event waiting for its lines) is stored, then printed.
          summary = await tail.stop();
          continue;
        }
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    });
    summary ??= await tail.stop();
    const failure = tail.failure();
    if (failure) console.error(`auditscope tail: ${makeControlsVisible(failure)}`);
    console.error(`auditscope tail: ${summary}${values.case ? ` in ${values.case}` : ''}`);
    return failure ? 1 : 0;
  } finally {
    db.close();
    await session.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function followFile(
  session: CaseSession,
  file: string,
  fromStart: boolean,
  kept?: string,
): Promise<Followed> {
  void kept;
  const tail = await FileTail.start(session, file, { fromEnd: !fromStart });
  if (tail.status.warning)
    console.error(`auditscope tail: warning: ${makeControlsVisible(tail.status.warning)}`);
  return {
    onUpdate: (listener) =>
      tail.onUpdate((status, batch) => (batch || status.state !== 'following' ? listener() : undefined)),
    failure: () => (tail.status.state === 'failed' ? (tail.status.error ?? 'failed') : undefined),
    stop: async () => {
      const s = await tail.stop();
      return `${s.events} events stored, ${s.duplicates} duplicates, ${s.rejected} rejected, ${s.rotations} rotations, ${s.truncations} truncations`;
    },
  };
}

async function followTable(
  session: CaseSession,
  source: ServerSource,
  options: { table: string; mapping?: string; overlap?: string; notify?: string; fromStart: boolean },
): Promise<Followed> {
  const { target } = source;
  const probe = await openServerReader(source).catch((error: Error) => {
    throw new CliError(
      `cannot connect to ${target.host}:${target.port}/${target.database}: ${error.message}`,
    );
  });
  let mapping: SourceMapping;
  // Named by where it is, as the workspace names a followed table by its source: a later tail of
  // the same table into the same case resumes after what this one stored.
  const label = `${probe.location} · ${options.table}`;
  try {
    const columns = (await probe.columns(options.table)).map((c) => c.name);
    mapping = options.mapping
      ? SourceMapping.parse(JSON.parse(readFileSync(options.mapping, 'utf8')))
      : (proposeMapping(columns) as SourceMapping);
    if (!mapping.time || !columns.includes(mapping.time))
      throw new CliError(
        `tail: no time column for ${options.table}: give one with --mapping ({"time": "<column>"})`,
      );
  } finally {
    await probe.close();
  }
  const overlapMs = options.overlap === undefined ? 10_000 : durationMs(options.overlap);
  const from = options.fromStart
    ? '1970-01-01T00:00:00Z'
    : lastStoredTime(session.path, label, mapping.time, await session.importedPaths());
  let lastFailure: string | undefined;
  const tail = new TableTail(session, {
    label,
    connect: () => openServerReader(source),
    table: options.table,
    mapping,
    overlapMs,
    ...(options.notify ? { wakeChannel: options.notify } : {}),
    ...(from !== undefined ? { from } : {}),
  }).start();
  return {
    onUpdate: (listener) =>
      tail.onUpdate((status) => {
        if (status.state === 'reconnecting' && status.lastError !== lastFailure) {
          lastFailure = status.lastError;
          console.error(
            `auditscope tail: reconnecting (attempt ${status.attempt}): ${makeControlsVisible(status.lastError ?? '')}`,
          );
        }
        listener();
      }),
    failure: () => undefined,
    stop: async () => {
      const s = await tail.stop();
      return `${s.events} events stored, ${s.duplicates} rows read again, ${s.rejected} rejected`;
    },
  };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new UsageError(`tail: --overlap ${text} is not a duration like 10s, 2m`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}
