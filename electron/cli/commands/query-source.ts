import { readFileSync } from 'node:fs';
import type { AuditEvent } from '../../../shared/domain/audit-event.ts';
import type { EventQuery } from '../../../shared/domain/query.ts';
import { SourceMapping } from '../../../shared/domain/source.ts';
import { makeControlsVisible } from '../../../shared/lib/visible-text.ts';
import { createGenericNormalizer, proposeMapping } from '../../engine/ingest/normalize/generic.ts';
import { RecordError } from '../../engine/ingest/types.ts';
import { writeEvents, type OutputFormat } from '../../engine/export/write-events.ts';
import { PushDownError } from '../../engine/sources/compile-server.ts';
import { rowToEvent } from '../../engine/sources/browse-table.ts';
import { openServerReader } from '../../engine/sources/open-reader.ts';
import type { PagePosition, SourceRow } from '../../engine/sources/table-reader.ts';
import { CliError, UsageError } from '../cli-error.ts';
import { serverSource } from '../source-url.ts';

const PAGE = 1000;

/**
 * `auditscope query --source <url> --table <name>`: the search runs on the database server
 * (compile-server.ts), rows come back a page at a time in time order (keyset paging when the
 * table has a key), and each becomes an event through the column mapping, as a pull would make it.
 */
export async function querySource(options: {
  url: string;
  table: string;
  mapping?: string | undefined;
  query: EventQuery;
  limit: number;
  format: OutputFormat;
  count: boolean;
}): Promise<number> {
  const source = await serverSource(options.url, 'query');
  const { target } = source;
  const reader = await openServerReader(source).catch((error: Error) => {
    throw new CliError(
      `cannot connect to ${target.host}:${target.port}/${target.database}: ${error.message}`,
    );
  });
  try {
    const columns = (await reader.columns(options.table)).map((c) => c.name);
    const mapping = options.mapping
      ? SourceMapping.parse(JSON.parse(readFileSync(options.mapping, 'utf8')))
      : (proposeMapping(columns) as SourceMapping);
    const timeColumn = mapping.time;
    if (!timeColumn || !columns.includes(timeColumn))
      throw new CliError(
        `query: no time column for ${options.table}: give one with --mapping ({"time": "<column>"})`,
      );
    const search = { filter: options.query.filter, from: options.query.from, to: options.query.to, mapping };
    if (options.count) {
      console.log(await reader.count(options.table, { timeColumn, search }));
      return 0;
    }
    const key = await reader.keyColumn(options.table);
    const normalizer = createGenericNormalizer(mapping);
    let refused = 0;
    let firstReason: string | undefined;
    const toEvent = (row: SourceRow, line: number): AuditEvent | undefined => {
      const event = rowToEvent(row, normalizer, line);
      if (!(event instanceof RecordError)) return event;
      refused++;
      firstReason ??= event.message;
      return undefined;
    };
    await writeEvents(process.stdout, options.format, async function* () {
      let position: PagePosition;
      let read = 0;
      while (options.limit === 0 || read < options.limit) {
        const want = options.limit === 0 ? PAGE : Math.min(PAGE, options.limit - read);
        const rows = await reader.rows(options.table, {
          timeColumn,
          ...(key ? { key } : {}),
          ...(position ? { position } : {}),
          limit: want,
          search,
          order: options.query.order ?? 'desc',
        });
        if (rows.length === 0) return;
        const last = rows[rows.length - 1] as SourceRow;
        position = key ? { time: last[timeColumn], key: last[key] } : { offset: read + rows.length };
        yield rows.flatMap((row, i) => toEvent(row, read + i + 1) ?? []);
        read += rows.length;
        if (rows.length < want) return;
      }
    });
    if (refused > 0)
      console.error(
        `auditscope query: ${refused} rows could not be events (first: ${makeControlsVisible(firstReason ?? '')})`,
      );
    return 0;
  } catch (error) {
    if (error instanceof PushDownError) throw new UsageError(`query: ${error.message}`);
    throw error;
  } finally {
    await reader.close();
  }
}
