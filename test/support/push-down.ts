// The same searches pushed down to PostgreSQL and to MariaDB over the same generated
// user_activity_log (row g: user<g%40>, one of five activities by g%5, ip 10.0.<g%7>.<g%250>,
// details {record: g, note: "row g"}, a timestamp every third row): each must find exactly the
// rows the formula says, counted by the server and read back page by page, newest first.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { CaseSession } from '../../electron/engine/case-session.ts';
import { parseSearch } from '../../shared/query/parse-search.ts';
import type { TableReader, PagePosition, SourceRow } from '../../electron/engine/sources/table-reader.ts';
import { RemoteResults } from '../../electron/engine/sources/remote-results.ts';
import type { SourceRegistry } from '../../electron/engine/sources/source-registry.ts';
import type { StoredEvent } from '../../shared/contract.ts';

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
  // Of the table's size, not exactly: InnoDB's row estimate can pass it (9,001 of 9,000 seen in CI).
  expect(estimated.count).toBeLessThanOrEqual(Math.ceil(rows * 1.1));
  const exact = await reader.countWithin(table, { timeColumn: 'created_at', search, timeoutMs: 30_000 });
  expect(exact).toEqual({
    count: await reader.count(table, { timeColumn: 'created_at', search }),
    exact: true,
  });
}

/**
 * The workspace's calls over a table read in place (what Logs asks with a scope): the count, rows
 * by position — page after page, a jump deep into the result, past its end, oldest first — the
 * position of a time, an event by its seq, the histogram and top values, all against the formula.
 */
export async function expectWorkspaceInPlace(
  registry: SourceRegistry,
  source: string,
  table: string,
  rows: number,
  /** Runs SQL on the table's database as the application would (the test's own connection). */
  sql: (statement: string) => unknown,
): Promise<void> {
  const results = new RemoteResults(registry);
  const scope = { source, table, mapping: ACTIVITY_MAPPING };
  const parsed = parseSearch('action:login*');
  if (!parsed.ok) throw new Error(parsed.error.message);
  const base = Date.UTC(2024, 4, 1) * 1000;
  const timeOf = (g: number): number => base + Math.floor(g / 3) * 1e6;
  // From row 600 on (the window is a filter too), newest first.
  const query = { filter: parsed.filter, from: timeOf(600), order: 'desc' as const };
  const expected = Array.from({ length: rows }, (_, i) => i + 1)
    .filter((g) => activity(g).startsWith('login') && g >= 600)
    .reverse();
  const targets = (events: StoredEvent[]): number[] => events.map((e) => Number(e.target.name));

  const handle = results.open(query, scope);
  expect(await results.count(handle)).toBe(expected.length);
  expect(await results.estimated(handle)).toBe(false);
  const first = await results.rows(handle, 0, 200);
  expect(targets(first)).toEqual(expected.slice(0, 200));
  expect(targets(await results.rows(handle, 200, 200))).toEqual(expected.slice(200, 400));
  // A jump: keyset from the last page boundary read (400), then OFFSET.
  expect(targets(await results.rows(handle, 1234, 50))).toEqual(expected.slice(1234, 1284));
  expect(targets(await results.rows(handle, 1000, 10))).toEqual(expected.slice(1000, 1010));
  expect(await results.rows(handle, expected.length, 10)).toEqual([]);
  // A row committed meanwhile does not push the result's positions: it shows after a refresh.
  sql(
    `INSERT INTO ${table} (user_id, activity_type, ip_address, details, created_at)
     VALUES ('late', 'login', '10.0.0.1', '{"record": 0}', '2030-01-01 00:00:00')`,
  );
  try {
    expect(targets(await results.rows(handle, 0, 200))).toEqual(expected.slice(0, 200));
    expect(targets(await results.rows(handle, 3000, 50))).toEqual(expected.slice(3000, 3050));
  } finally {
    sql(`DELETE FROM ${table} WHERE user_id = 'late'`);
  }
  const event = first[7] as StoredEvent;
  expect(event.seq).toBeLessThan(0);
  expect(results.event(event.seq)).toEqual(event);
  expect(event).toMatchObject({
    action: activity(expected[7] as number),
    actor: { name: `user${(expected[7] as number) % 40}` },
  });
  expect(JSON.parse(event.raw)).toMatchObject({ details: { record: expected[7] } });

  // The position of a time: the matching rows newer than it come first.
  const g = expected[500] as number;
  expect(await results.positionOf(handle, timeOf(g))).toBe(
    expected.filter((h) => Math.floor(h / 3) > Math.floor(g / 3)).length,
  );
  results.close(handle);
  await expect(results.count(handle)).rejects.toThrow(/closed/);

  const oldestFirst = results.open({ ...query, order: 'asc' }, scope);
  expect(targets(await results.rows(oldestFirst, 0, 100))).toEqual(expected.slice().reverse().slice(0, 100));
  results.close(oldestFirst);

  const histogram = await results.histogram(query, scope);
  expect(histogram.buckets.reduce((n, b) => n + b.total, 0)).toBe(expected.length);
  // Contiguous buckets (the server leaves out empty ones; the chart's axis needs them).
  histogram.buckets.forEach((b, i) => expect(b.start).toBe(histogram.from + i * histogram.interval));

  const actors = new Map<string, number>();
  for (const h of expected) actors.set(`user${h % 40}`, (actors.get(`user${h % 40}`) ?? 0) + 1);
  const top = [...actors].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
  expect(await results.topValues(query, scope, 'actor', 3)).toEqual({
    total: expected.length,
    values: top.map(([value, count]) => ({ value, count })),
  });

  // What the server cannot answer is refused with the reason, not answered wrongly.
  const outcome = parseSearch('outcome:failure');
  if (!outcome.ok) throw new Error(outcome.error.message);
  await expect(results.count(results.open({ filter: outcome.filter }, scope))).rejects.toThrow(
    /worked out when events are imported/,
  );
}

/** A followed table's poll by key: only rows above a key or with one of the missing keys. */
export async function expectKeyFilter(reader: TableReader, table: string, rows: number): Promise<void> {
  // Its key is handed out by the server in order (bigserial, AUTO_INCREMENT): a tail may poll by it.
  expect(await reader.sequenceKey?.(table)).toBe(true);
  const key = (await reader.keyColumn(table)) as string;
  const byKeys = {
    timeColumn: 'created_at',
    key,
    keys: { above: String(rows - 5), missing: ['7', '4242', '99999999999999999'] },
  };
  const records = (page: SourceRow[]): number[] =>
    page.map((row) => (row.details as { record: number }).record);
  expect(records(await reader.rows(table, { ...byKeys, limit: rows }))).toEqual([
    7,
    4242,
    rows - 4,
    rows - 3,
    rows - 2,
    rows - 1,
    rows,
  ]);
  // A window's keys up to the highest a tail read (the rows above it are read by key anyway).
  const upTo = await reader.rows(table, {
    timeColumn: 'created_at',
    key,
    limit: rows,
    keyAtMost: '3',
    columns: [key, 'created_at'],
  });
  expect(upTo.map((row) => Number(row[key]))).toEqual([1, 2, 3]);
  // Page after page, in key order: each page from after the last key read.
  const firstPage = await reader.rows(table, { ...byKeys, limit: 3 });
  const last = firstPage.at(-1) as SourceRow;
  const nextPage = await reader.rows(table, {
    ...byKeys,
    limit: 3,
    position: { time: last.created_at, key: last[key] },
  });
  expect(records([...firstPage, ...nextPage])).toEqual([7, 4242, rows - 4, rows - 3, rows - 2, rows - 1]);
}

/**
 * A pull of the whole generated table into a case: every row once across pages of tied
 * timestamps, recorded with its provenance (location, table, row count, SHA-256 of the file),
 * no password in it. Returns the pull and its provenance for what a test checks further.
 */
export async function expectWholePull(
  registry: SourceRegistry,
  session: CaseSession,
  source: { id: string; table: string; location: string; password: string },
  rows: number,
) {
  const mapping = { time: 'created_at', actor: 'user_id', action: 'activity_type', ip: 'ip_address' };
  const pulled = await registry.pull(session, source.id, source.table, mapping, { limit: 1_000_000 });
  expect(pulled.rows).toBe(rows);
  expect(pulled.summary.totals).toMatchObject({ accepted: rows, duplicates: 0, rejected: 0 });
  const lines = readFileSync(pulled.file, 'utf8').trimEnd().split('\n');
  expect(new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id)).size).toBe(rows);
  const provenance = JSON.parse(readFileSync(`${pulled.file}.provenance.json`, 'utf8')) as Record<
    string,
    unknown
  >;
  expect(provenance).toMatchObject({
    source: source.location,
    table: source.table,
    rows,
    sha256: createHash('sha256').update(readFileSync(pulled.file)).digest('hex'),
  });
  expect(JSON.stringify(provenance)).not.toContain(source.password);
  return { mapping, pulled, provenance };
}
