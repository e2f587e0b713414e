// The same searches pushed down to PostgreSQL and to MariaDB over the same generated
// user_activity_log (row g: user<g%40>, one of five activities by g%5, ip 10.0.<g%7>.<g%250>,
// details {record: g, note: "row g"}, a timestamp every third row): each must find exactly the
// rows the formula says, counted by the server and read back page by page, newest first.
import { expect } from 'vitest';
import { parseSearch } from '../../shared/query/parse-search.ts';
import type { TableReader, PagePosition, SourceRow } from '../../electron/engine/sources/table-reader.ts';

export const ACTIVITY_MAPPING = {
  time: 'created_at',
  actor: 'user_id',
  action: 'activity_type',
  ip: 'ip_address',
  target: 'details.record',
};

const ACTIVITIES = ['login', 'logout', 'login_failed', 'record.view', 'export'];
const activity = (g: number): string => ACTIVITIES[g % 5] as string;

export const PUSH_DOWN_CASES: { search: string; matches: (g: number) => boolean }[] = [
  { search: 'actor:USER1', matches: (g) => g % 40 === 1 },
  { search: 'action:login*', matches: (g) => activity(g).startsWith('login') },
  { search: '-action:login* ip:10.0.1.*', matches: (g) => !activity(g).startsWith('login') && g % 7 === 1 },
  { search: 'ip:10.0.3.33', matches: (g) => g % 7 === 3 && g % 250 === 33 },
  { search: 'target:42 OR details.note:"row 4242"', matches: (g) => g === 42 || g === 4242 },
  { search: '"row 777"', matches: (g) => String(g).startsWith('777') },
  { search: 'user_id:user7 action:export', matches: (g) => g % 40 === 7 && activity(g) === 'export' },
  // Values that would be SQL if they were ever spliced in: here they only fail to match.
  { search: 'actor:"\' OR 1=1 --"', matches: () => false },
  { search: 'action:"%"', matches: () => false },
];

export async function expectPushDown(reader: TableReader, table: string, rows: number): Promise<void> {
  const key = await reader.keyColumn(table);
  for (const { search, matches } of PUSH_DOWN_CASES) {
    const parsed = parseSearch(search);
    if (!parsed.ok) throw new Error(`${search}: ${parsed.error.message}`);
    const expected = Array.from({ length: rows }, (_, i) => i + 1)
      .filter(matches)
      .reverse();
    const query = { filter: parsed.filter, mapping: ACTIVITY_MAPPING };
    expect(await reader.count(table, { timeColumn: 'created_at', search: query }), search).toBe(
      expected.length,
    );
    const found: number[] = [];
    let position: PagePosition;
    for (;;) {
      const page = await reader.rows(table, {
        timeColumn: 'created_at',
        ...(key ? { key } : {}),
        ...(position ? { position } : {}),
        limit: 250,
        search: query,
        order: 'desc',
      });
      found.push(...page.map((row) => (row.details as { record: number }).record));
      if (page.length < 250) break;
      const last = page[page.length - 1] as SourceRow;
      position = { time: last.created_at, key: last[key as string] };
    }
    expect(found, search).toEqual(expected);
  }
}

/** Time buckets and top values counted by the server, against the formula. */
export async function expectServerGroups(reader: TableReader, table: string, rows: number): Promise<void> {
  const parsed = parseSearch('action:export');
  if (!parsed.ok) throw new Error(parsed.error.message);
  const search = { filter: parsed.filter, mapping: ACTIVITY_MAPPING };
  const matching = Array.from({ length: rows }, (_, i) => i + 1).filter((g) => activity(g) === 'export');
  const base = Date.UTC(2024, 4, 1) / 1000;
  const hourly = new Map<number, number>();
  for (const g of matching) {
    const hour = Math.floor((base + Math.floor(g / 3)) / 3600) * 3600;
    hourly.set(hour, (hourly.get(hour) ?? 0) + 1);
  }
  const buckets = await reader.groups(table, {
    timeColumn: 'created_at',
    search,
    by: { kind: 'bucket', seconds: 3600 },
  });
  expect(buckets.map((b) => [Number(b.value), b.count])).toEqual([...hourly]);

  const actors = new Map<string, number>();
  for (const g of matching) actors.set(`user${g % 40}`, (actors.get(`user${g % 40}`) ?? 0) + 1);
  const top = [...actors].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
  const found = await reader.groups(table, {
    timeColumn: 'created_at',
    search,
    by: { kind: 'field', field: 'actor', limit: 3 },
  });
  expect(found.map((g) => [g.value, g.count])).toEqual(top);

  const [range] = await reader.groups(table, { timeColumn: 'created_at', search, by: { kind: 'range' } });
  expect(range?.count).toBe(matching.length);
}

/** A count given no time to run (1 ms) gives the server's estimate instead, marked as one. */
export async function expectCountEstimate(reader: TableReader, table: string, rows: number): Promise<void> {
  const parsed = parseSearch('"row 1"');
  if (!parsed.ok) throw new Error(parsed.error.message);
  const search = { filter: parsed.filter, mapping: ACTIVITY_MAPPING };
  const estimated = await reader.countWithin(table, { timeColumn: 'created_at', search, timeoutMs: 1 });
  expect(estimated.exact).toBe(false);
  expect(estimated.count).toBeGreaterThan(0);
  expect(estimated.count).toBeLessThanOrEqual(rows);
  const exact = await reader.countWithin(table, { timeColumn: 'created_at', search, timeoutMs: 30_000 });
  expect(exact).toEqual({
    count: await reader.count(table, { timeColumn: 'created_at', search }),
    exact: true,
  });
}
