// Browsing a remote table in place: a throwaway PostgreSQL (started here, as the tests do) with a
// 5M-row user_activity_log shaped as a web application keeps it (bigserial key, an index on the
// time, JSON details), read through the same reader the app and `auditscope query --source` use:
// pages of 200 events newest first, without and with searches pushed down, deep pages by keyset,
// counts; and Logs over the table (the workspace's result handles): its first rows, a jump to the
// middle, the pages scrolled on from there. Prints JSON; REMOTE_ROWS scales it (default 5,000,000), REMOTE_RUNS the samples.
import { parseSearch } from '../../shared/query/parse-search.ts';
import { openPostgresReader } from '../../electron/engine/sources/postgres-reader.ts';
import type { PagePosition, SourceRow } from '../../electron/engine/sources/table-reader.ts';
import { startPostgres } from '../support/postgres.ts';
import { ACTIVITY_MAPPING } from '../support/push-down.ts';
import {
  remoteHistogram,
  remoteTopValues,
  serverSearch,
} from '../../electron/engine/sources/browse-table.ts';
import { summarize } from './stats.ts';
import { MemorySecrets } from '../../electron/engine/sources/secrets.ts';
import { RemoteResults } from '../../electron/engine/sources/remote-results.ts';
import { SourceRegistry } from '../../electron/engine/sources/source-registry.ts';

const MAPPING = ACTIVITY_MAPPING;
const TABLE = 'public.user_activity_log';
const PAGE = 200;

export async function benchRemote(options: { rows?: number; runs?: number } = {}) {
  const rows = options.rows ?? Number(process.env.REMOTE_ROWS ?? 5_000_000);
  const runs = options.runs ?? Number(process.env.REMOTE_RUNS ?? 7);
  const server = await startPostgres();
  try {
    server.psql('CREATE DATABASE app');
    const loadStarted = performance.now();
    server.psql(
      `CREATE TABLE user_activity_log (
         id bigserial PRIMARY KEY, user_id text NOT NULL, activity_type text NOT NULL,
         ip_address inet, details jsonb, created_at timestamptz NOT NULL);
       INSERT INTO user_activity_log (user_id, activity_type, ip_address, details, created_at)
       SELECT 'user' || (g % 5000), (ARRAY['login','logout','login_failed','record.view','export'])[1 + g % 5],
              ('10.' || (g % 200) || '.' || (g % 7) || '.' || (g % 250))::inet,
              jsonb_build_object('record', g, 'note', 'row ' || g),
              timestamptz '2024-01-01 00:00:00+00' + (g || ' seconds')::interval
         FROM generate_series(1, ${rows}) g;
       CREATE INDEX user_activity_log_created_at ON user_activity_log (created_at, id);
       CREATE INDEX user_activity_log_user_id ON user_activity_log (user_id, created_at);`,
      'app',
    );
    server.psql('VACUUM ANALYZE user_activity_log', 'app');
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const reader = await openPostgresReader(server.target('app'));
    try {
      const key = (await reader.keyColumn(TABLE)) as string;
      const searchOf = (text: string) => {
        const parsed = parseSearch(text);
        if (!parsed.ok) throw new Error(parsed.error.message);
        return { filter: parsed.filter, mapping: MAPPING };
      };
      const page = (search: string, position?: PagePosition) =>
        reader.rows(TABLE, {
          timeColumn: 'created_at',
          key,
          limit: PAGE,
          order: 'desc',
          ...(position ? { position } : {}),
          ...(search ? { search: searchOf(search) } : {}),
        });
      const time = async (run: () => Promise<unknown>): Promise<number[]> => {
        await run(); // warm: plans cached, pages in the server's buffers
        const samples: number[] = [];
        for (let i = 0; i < runs; i++) {
          const started = performance.now();
          await run();
          samples.push(performance.now() - started);
        }
        return samples;
      };
      /** The page after `pages` pages of this search, by keyset from the one before. */
      const deep = async (search: string, pages: number): Promise<PagePosition> => {
        let position: PagePosition;
        for (let i = 0; i < pages; i++) {
          const got = await page(search, position);
          const last = got[got.length - 1] as SourceRow;
          position = { time: last.created_at, key: last[key] };
        }
        return position;
      };
      const deepPosition = await deep('', 50);
      const deepFiltered = await deep('action:login', 50);
      const count = (search: string) =>
        reader.count(TABLE, { timeColumn: 'created_at', search: searchOf(search) });
      // Logs over the table (Open in Logs): rows by position through the workspace's handles.
      const registry = new SourceRegistry(undefined, new MemorySecrets({}));
      const target = server.target('app');
      const source = registry.save({ name: 'app', kind: 'postgres', ...target }, target.password);
      const results = new RemoteResults(registry);
      const scope = { source: source.id, table: TABLE, mapping: MAPPING };
      const middle = Math.floor(rows / 2);
      /** A fresh result's rows at `position` (no page read near it: OFFSET from the top). */
      const jump = async (position: number) => {
        const handle = results.open({ order: 'desc' }, scope);
        try {
          return await results.rows(handle, position, PAGE);
        } finally {
          results.close(handle);
        }
      };
      const afterJump = results.open({ order: 'desc' }, scope);
      await results.rows(afterJump, middle, PAGE);
      let next = middle + PAGE;
      const inPlace = {
        logsFirstPageMs: summarize(await time(() => jump(0))),
        logsJumpToMiddleMs: summarize(await time(() => jump(middle))),
        // Scrolling on from there: each page by keyset from the last one read.
        logsPageAfterJumpMs: summarize(
          await time(async () => {
            await results.rows(afterJump, next, PAGE);
            next += PAGE;
          }),
        ),
      };
      results.close(afterJump);
      registry.closeBrowsing();
      return {
        ...inPlace,
        rows,
        runs,
        loadSeconds: Math.round(loadSeconds),
        firstPageMs: summarize(await time(() => page(''))),
        page51KeysetMs: summarize(await time(() => page('', deepPosition))),
        actorFilterFirstPageMs: summarize(await time(() => page('actor:user42'))),
        actionFilterFirstPageMs: summarize(await time(() => page('action:login'))),
        actionFilterPage51KeysetMs: summarize(await time(() => page('action:login', deepFiltered))),
        jsonPathRareFirstPageMs: summarize(await time(() => page('target:4242'))),
        freeTextRareFirstPageMs: summarize(await time(() => page('"row 4242424"'))),
        lastHourPageMs: summarize(
          await time(() =>
            reader.rows(TABLE, {
              timeColumn: 'created_at',
              key,
              limit: PAGE,
              order: 'desc',
              search: { mapping: MAPPING, from: (Date.UTC(2024, 0, 1) / 1000 + rows - 3600) * 1e6 },
            }),
          ),
        ),
        countActorMs: summarize(await time(() => count('actor:user42'))),
        countAllMs: summarize(await time(() => count(''))),
        histogramAllMs: summarize(
          await time(() => remoteHistogram(reader, TABLE, serverSearch({ search: '' }, MAPPING))),
        ),
        histogramActionLoginMs: summarize(
          await time(() => remoteHistogram(reader, TABLE, serverSearch({ search: 'action:login' }, MAPPING))),
        ),
        topActorsAllMs: summarize(
          await time(() =>
            remoteTopValues(reader, TABLE, serverSearch({ search: '' }, MAPPING), 'actor', 10),
          ),
        ),
      };
    } finally {
      await reader.close();
    }
  } finally {
    server.stop();
  }
}

if (import.meta.main) {
  const result = await benchRemote();
  console.log(JSON.stringify(result, null, 2));
}
