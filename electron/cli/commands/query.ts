import { parseArgs } from 'node:util';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import { parseTimestamp } from '../../../shared/lib/parse-time.ts';
import type { EventQuery } from '../../../shared/domain/query.ts';
import { UsageError } from '../cli-error.ts';
import { separateSearchTerms } from '../search-args.ts';
import { openExistingCase } from './open-case.ts';
import { querySource } from './query-source.ts';
import { writeEvents, type OutputFormat } from '../../engine/export/write-events.ts';

export const QUERY_HELP = `Usage: auditscope query --case <file> [options] ['<search>']
       auditscope query --source <url> --table <name> [--mapping <file>] [options] ['<search>']

Searches a case, or a database table in place: the search runs on the server (PostgreSQL,
MySQL, MariaDB) and only matching rows are read, each made an event through the column mapping.
The search syntax: field:value terms (actor:alice action:iam.* outcome:failure
ip:10.0.0.0/8 userIdentity.arn:*admin*), free words and "phrases", -negation, OR, parentheses.

Options:
  --case <file>      the case file
  --source <url>     instead of a case, a database: postgres://user@host:port/database or
                     mysql://… (?sslmode=disable for a server without TLS; ?sslrootcert=<file>
                     to trust that one certificate; else the certificate and host name are
                     verified). The password comes from AUDITSCOPE_PASSWORD, else a prompt:
                     never from the URL.
  --table <name>     with --source: the table or view (PostgreSQL: schema.table)
  --mapping <file>   with --source: JSON {"time": column, "actor": …} (default: proposed from
                     the column names)
  --from <time>      events at or after: ISO 8601, epoch (s/ms/µs/ns), or an age like 24h, 7d, 30m
  --to <time>        events before (same forms)
  --limit <n>        at most n events (default 100; 0 = all)
  --order asc|desc   by time (default desc, newest first)
  --format <f>       table (default on a terminal), ndjson (AuditEvents including raw), csv, json
  --count            print only the number of matching events
  -h, --help         show this help`;

const FORMATS = ['table', 'ndjson', 'csv', 'json'] as const;
const AGE = /^(\d+)(s|m|h|d|w)$/;
const MICROS: Record<string, number> = { s: 1e6, m: 60e6, h: 3600e6, d: 86400e6, w: 604800e6 };

/** A --from/--to value as epoch microseconds. */
export function parseTimeOption(name: string, text: string, now = Date.now(), command = 'query'): number {
  const age = AGE.exec(text);
  if (age) return now * 1000 - Number(age[1]) * (MICROS[age[2] as string] as number);
  const parsed = parseTimestamp(text, { now });
  if (!parsed)
    throw new UsageError(`${command}: --${name} ${text} is not a time (ISO 8601, epoch, or an age like 24h)`);
  return parsed.time;
}

/** The query a command line asks for: the search text, --from, --to and --order. */
export function queryFromArgs(
  command: string,
  search: string,
  values: { from?: string | undefined; to?: string | undefined; order?: string | undefined },
): EventQuery {
  if (values.order && values.order !== 'asc' && values.order !== 'desc')
    throw new UsageError(`${command}: --order is asc or desc`);
  const parsed = parseSearch(search);
  if (!parsed.ok) {
    throw new UsageError(
      `${command}: ${parsed.error.message} (at character ${parsed.error.offset + 1} of the search)`,
    );
  }
  return {
    filter: parsed.filter,
    from: values.from ? parseTimeOption('from', values.from, Date.now(), command) : undefined,
    to: values.to ? parseTimeOption('to', values.to, Date.now(), command) : undefined,
    order: (values.order as 'asc' | 'desc' | undefined) ?? 'desc',
  };
}

const OPTIONS = {
  case: { type: 'string' },
  source: { type: 'string' },
  table: { type: 'string' },
  mapping: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  limit: { type: 'string' },
  order: { type: 'string' },
  format: { type: 'string' },
  count: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function queryCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: separateSearchTerms(argv, OPTIONS),
    allowPositionals: true,
    options: OPTIONS,
  });
  if (values.help) {
    console.log(QUERY_HELP);
    return 0;
  }
  if (!values.case === !values.source)
    throw new UsageError('query: give either --case <file> or --source <url>');
  if (values.source && !values.table) throw new UsageError('query: --table <name> is required with --source');
  const format = (values.format ?? (process.stdout.isTTY ? 'table' : 'ndjson')) as OutputFormat;
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`query: unknown --format ${format}`);
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError('query: --limit takes a whole number ≥ 0');

  const query = queryFromArgs('query', positionals.join(' '), values);
  if (values.source)
    return querySource({
      url: values.source,
      table: values.table as string,
      mapping: values.mapping,
      query,
      limit,
      format,
      count: values.count ?? false,
    });
  const caseFile = values.case as string;

  const session = await openExistingCase(caseFile);
  try {
    const handle = await session.read.openResult(query);
    if (values.count) {
      console.log(await session.read.count(handle));
      return 0;
    }
    await writeEvents(process.stdout, format, async function* () {
      const page = 1000;
      for (let start = 0; limit === 0 || start < limit; start += page) {
        const rows = await session.read.rows(
          handle,
          start,
          limit === 0 ? page : Math.min(page, limit - start),
        );
        if (rows.length === 0) return;
        yield rows;
      }
    });
    return 0;
  } finally {
    await session.close();
  }
}
