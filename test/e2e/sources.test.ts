// Connect… in real Chromium (serve mode) to a real PostgreSQL started here: save a source with its
// password, look at a user_activity_log table, check the proposed mapping and its preview, pull a
// slice into the case, and find those events in the table. Screenshots in test/output/screenshots.
import pg from 'pg';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { CaseHost } from '../../electron/engine/cases/case-host.ts';
import { MemorySecrets } from '../../electron/engine/sources/secrets.ts';
import { SourceRegistry } from '../../electron/engine/sources/source-registry.ts';
import { startServer, type RunningServer } from '../../electron/server/serve.ts';
import { launchChromium } from '../support/chromium.ts';
import { REPO_ROOT } from '../support/paths.ts';
import { startPostgres, type TestPostgres } from '../support/postgres.ts';
import { tempDir } from '../support/temp-case.ts';
import { footerCount } from '../support/workspace-page.ts';

const RENDERER = path.join(REPO_ROOT, 'out', 'renderer');
const SHOTS = path.join(REPO_ROOT, 'test', 'output', 'screenshots');

describe('Connect… to a database (serve mode, Chromium, PostgreSQL)', () => {
  const temp = tempDir();
  let postgres: TestPostgres;
  let cases: CaseHost;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(RENDERER, 'index.html')))
      throw new Error('no built UI in out/renderer: run npm run build');
    mkdirSync(SHOTS, { recursive: true });
    postgres = await startPostgres();
    postgres.psql('CREATE DATABASE shop');
    postgres.psql(
      `CREATE TABLE user_activity_log (
         id bigserial PRIMARY KEY, user_id text, activity_type text, ip_address inet, details jsonb,
         created_at timestamptz NOT NULL);
       INSERT INTO user_activity_log (user_id, activity_type, ip_address, details, created_at)
       SELECT 'clerk' || (g % 5), (ARRAY['login','record.view','export','logout'])[1 + g % 4],
              ('192.0.2.' || (g % 200))::inet, jsonb_build_object('record', g),
              timestamptz '2024-07-01 08:00:00+00' + (g || ' minutes')::interval
       FROM generate_series(1, 300) g;`,
      'shop',
    );
    cases = new CaseHost(await CaseSession.open(temp.file('sources-e2e.auditscope')));
    server = await startServer({
      cases,
      rendererDir: RENDERER,
      sources: new SourceRegistry(temp.file('sources.json'), new MemorySecrets({})),
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(server.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await cases?.close();
    postgres?.stop();
    temp.cleanup();
  });

  it('saves a source, maps a table, previews and pulls it into the case', async () => {
    await page.getByRole('button', { name: 'Connect…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Database sources' });
    const form = dialog.locator('.source-form');
    // MySQL / MariaDB servers take the same fields; the port follows the kind while it is a default.
    await form.getByLabel('Kind', { exact: true }).selectOption('mysql');
    await expect(form.getByLabel('Port', { exact: true }).inputValue()).resolves.toBe('3306');
    await form.getByLabel('Name', { exact: true }).fill('orders (MariaDB)');
    await shot('21b-connect-mysql');
    await form.getByLabel('Kind', { exact: true }).selectOption('postgres');
    await expect(form.getByLabel('Port', { exact: true }).inputValue()).resolves.toBe('5432');
    await form.getByLabel('Name', { exact: true }).fill('shop audit');
    await form.getByLabel('Host', { exact: true }).fill(postgres.host);
    await form.getByLabel('Port', { exact: true }).fill(String(postgres.port));
    await form.getByLabel('Database', { exact: true }).fill('shop');
    await form.getByLabel('User', { exact: true }).fill(postgres.user);
    await form.getByLabel('Password', { exact: true }).fill(postgres.password);
    await form.getByLabel('TLS', { exact: true }).selectOption('disable');
    await dialog.getByRole('button', { name: 'Save and connect' }).click();
    await expect
      .poll(() => dialog.getByRole('status').first().textContent())
      .toContain('Connected read-only');
    // The password went to the engine and is not shown again.
    await expect(form.getByLabel('Password', { exact: true }).inputValue()).resolves.toBe('');
    await expect(form.getByLabel('Password', { exact: true }).getAttribute('placeholder')).resolves.toBe(
      'kept — type to replace',
    );

    await dialog.getByLabel('Table', { exact: true }).selectOption('public.user_activity_log');
    const mapping = dialog.getByRole('group', { name: 'Mapping' });
    await expect.poll(() => mapping.getByLabel('Time', { exact: true }).inputValue()).toBe('created_at');
    await expect(mapping.getByLabel('Actor', { exact: true }).inputValue()).resolves.toBe('user_id');
    await expect(mapping.getByLabel('Action', { exact: true }).inputValue()).resolves.toBe('activity_type');
    await mapping.getByLabel('Target', { exact: true }).fill('details.record');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => dialog.locator('.source-preview tbody tr').count()).toBe(20);
    await expect(dialog.locator('.source-preview tbody tr').first().textContent()).resolves.toContain(
      'clerk1',
    );
    await shot('22-connect-preview');

    // Browse in place: the search runs on the server; pages arrive as the list scrolls.
    const browse = dialog.getByRole('group', { name: 'Browse in place' });
    const rows = browse.getByRole('table', { name: 'Matching rows' });
    await browse.getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(() => browse.getByRole('status').textContent())
      .toBe('300 matching rows (counted by the server); 200 read');
    await rows.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await expect.poll(() => browse.getByRole('status').textContent()).toContain('300 read');
    // The server's counts: rows per time bucket, and the top actors; a value narrows the search.
    await expect
      .poll(() => browse.getByRole('img').getAttribute('aria-label'))
      .toMatch(/Matching rows per \d+ s, \d+ buckets, counted by the server/);
    const topActors = browse.getByRole('list', { name: 'Top actor values' });
    await expect.poll(() => topActors.getByRole('listitem').count()).toBe(5);
    await expect(topActors.getByRole('listitem').first().textContent()).resolves.toBe('clerk0 60');
    await topActors.getByRole('button', { name: 'clerk1' }).click();
    await expect(browse.getByLabel('Search the table').inputValue()).resolves.toBe('actor:"clerk1"');
    await expect
      .poll(() => browse.getByRole('status').textContent())
      .toBe('60 matching rows (counted by the server); 60 read');
    await browse.getByLabel('Search the table').fill('actor:clerk3 action:export');
    await browse.getByLabel('Search the table').press('Enter');
    await expect
      .poll(() => browse.getByRole('status').textContent())
      .toBe('15 matching rows (counted by the server); 15 read');
    // Newest first: row 298 is the last clerk3 export (298 mod 5 = 3, 298 mod 4 = 2).
    await rows.getByRole('row').nth(1).click();
    await expect(browse.getByLabel('Row as the database holds it').textContent()).resolves.toContain(
      '"record": 298',
    );
    await browse.scrollIntoViewIfNeeded();
    await shot('22b-browse-in-place');

    // A search the server cannot answer yet (another session holds the table) can be stopped.
    const locker = new pg.Client({ ...postgres.target('shop') });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE user_activity_log IN ACCESS EXCLUSIVE MODE');
      await browse.getByRole('button', { name: 'Search' }).click();
      await browse.getByRole('button', { name: 'Stop' }).click();
      await expect
        .poll(() => browse.getByRole('status').textContent())
        .toBe('Stopped: the server cancelled the search; 0 rows read');
      await locker.query('COMMIT');
    } finally {
      await locker.end();
    }

    await dialog.getByLabel('At most', { exact: true }).fill('120');
    await dialog.getByRole('button', { name: 'Pull into case' }).click();
    await expect
      .poll(() => dialog.getByRole('status').last().textContent(), { timeout: 30_000 })
      .toMatch(/Pulled 120 rows: 120 new events, 0 already in the case, 0 rejected/);
    await dialog.getByRole('status').last().scrollIntoViewIfNeeded();
    await shot('23-connect-pulled');
    await page.keyboard.press('Escape');
    await expect(dialog.count()).resolves.toBe(0);
    await expect.poll(() => page.locator('.log-footer').textContent()).toMatch(/(^|\D)120 events/);
    await expect(page.locator('.log-row[data-seq]').first().textContent()).resolves.toContain('clerk');
  });

  it('reads the table in place in Logs: the search, chips, charts and details run on the server; pulls the rows shown', async () => {
    const { dialog, mapping } = await openSavedTable();
    await mapping.getByLabel('Target', { exact: true }).fill('details.record');
    await dialog.getByRole('button', { name: 'Open in Logs' }).click();
    await expect(dialog.count()).resolves.toBe(0);

    const banner = page.getByRole('region', { name: 'Reading a table in place' });
    await expect(banner.textContent()).resolves.toContain(
      'shop audit (PostgreSQL) ▸ public.user_activity_log',
    );
    // The whole table, newest first (row 300: clerk0), though the case holds 120 of its rows.
    await expect.poll(footer).toBe(300);
    await expect.poll(() => page.locator('.log-row[data-seq]').first().textContent()).toContain('clerk0');
    // The views that work over the case only wait for it.
    await expect(page.getByRole('button', { name: 'Timeline' }).isDisabled()).resolves.toBe(true);

    // The search box's search runs on the server: counts, the breakdown and the histogram too.
    const box = page.getByLabel('Search');
    await box.fill('actor:clerk3 action:export');
    await box.press('Enter');
    await expect.poll(footer).toBe(15);
    const breakdown = page.locator('.breakdown-list');
    await expect.poll(() => breakdown.locator('li').first().textContent()).toMatch(/^export15\s*100%$/);
    await expect.poll(() => page.locator('.histogram canvas').count()).toBeGreaterThan(0);
    // Details of a row: the event it becomes, and the row as the database holds it.
    await page.locator('.log-row[data-seq]').first().click();
    const details = page.getByLabel('Event details');
    await expect.poll(() => details.textContent()).toContain('Row as the database holds it');
    await expect(details.locator('pre.raw').textContent()).resolves.toContain('"record": 298');
    await expect(details.textContent()).resolves.toContain('Read in place');

    // A value of the breakdown becomes a chip, pushed down like the search.
    await box.fill('');
    await box.press('Enter');
    await expect.poll(footer).toBe(300);
    await page.locator('.breakdown').getByRole('tab', { name: 'Actors' }).click();
    await breakdown.locator('button', { hasText: 'clerk1' }).click();
    await expect.poll(footer).toBe(60);
    // End: the last row (the oldest clerk1 row, record 1), opened with Enter.
    await page.locator('.log-row[data-seq]').first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect.poll(() => details.locator('pre.raw').textContent()).toContain('"record": 1\n');
    await shot('22c-logs-in-place');

    // Pull exactly the rows shown: the 24 clerk1 rows among the 120 pulled before are not doubled.
    await banner.getByRole('button', { name: 'Pull these rows into the case' }).click();
    await expect
      .poll(() => banner.getByRole('status').textContent(), { timeout: 30_000 })
      .toBe('Pulled 60 rows: 36 new events, 24 already in the case, 0 rejected');
    await banner.getByRole('button', { name: 'Back to the case' }).click();
    await expect(banner.count()).resolves.toBe(0);
    // The case, with the same chip: every clerk1 row is in it now.
    await expect.poll(footer).toBe(60);
    await expect(page.getByRole('button', { name: 'Timeline' }).isDisabled()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Remove filter' }).first().click();
  });

  it('follows the table live while the application writes to it; pause and resume', async () => {
    const { dialog } = await openSavedTable();
    // The application NOTIFYs on writes: the tail listens on that channel (a hint to poll at once).
    await dialog.getByLabel('NOTIFY channel').fill('audit_written');
    await dialog.getByLabel('NOTIFY channel').scrollIntoViewIfNeeded();
    await shot('23b-follow-notify');
    await dialog.getByRole('button', { name: 'Follow live' }).click();
    await expect.poll(() => dialog.getByRole('status').last().textContent()).toContain('Following');
    await expect
      .poll(
        () =>
          postgres
            .psql(
              `SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN "audit_written"' AND application_name = 'auditscope (read-only)'`,
              'shop',
            )
            .trim(),
        // The tail listens as it first connects, at its first poll (a second after it starts).
        { timeout: 10_000 },
      )
      .toBe('1');
    await page.keyboard.press('Escape');
    const bar = page.getByRole('region', { name: 'Live tail' });
    await expect
      .poll(() => bar.textContent(), { timeout: 10_000 })
      .toContain('shop audit · public.user_activity_log');
    const before = await footer();
    // The application writes: rows stamped now, in small transactions.
    for (let i = 0; i < 4; i++) {
      postgres.psql(
        `INSERT INTO user_activity_log (user_id, activity_type, ip_address, details, created_at)
         SELECT 'cashier' || g, 'refund', '198.51.100.7', jsonb_build_object('batch', ${i}), now()
         FROM generate_series(1, 5) g`,
        'shop',
      );
      await new Promise((r) => setTimeout(r, 400));
    }
    await expect.poll(footer, { timeout: 20_000 }).toBe(before + 20);
    await expect(page.locator('.log-row[data-seq]').first().textContent()).resolves.toContain('cashier');
    await shot('24-table-live');
    await bar.getByRole('button', { name: 'Pause' }).click();
    postgres.psql(
      `INSERT INTO user_activity_log (user_id, activity_type, created_at) VALUES ('night', 'export', now()), ('night', 'export', now())`,
      'shop',
    );
    await expect.poll(() => bar.textContent(), { timeout: 20_000 }).toContain('2 new events');
    expect(await footer()).toBe(before + 20);
    await shot('25-table-live-paused');
    await bar.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(footer, { timeout: 10_000 }).toBe(before + 22);
    await bar.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => bar.textContent(), { timeout: 10_000 }).toContain('stopped');
  });

  const footer = (): Promise<number> => footerCount(page);

  /** Connect… ▸ the saved source ▸ its user_activity_log table, mapped as proposed. */
  async function openSavedTable() {
    await page.getByRole('button', { name: 'Connect…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Database sources' });
    await dialog
      .getByRole('navigation', { name: 'Saved sources' })
      .getByRole('button', { name: /shop audit/ })
      .click();
    await dialog.getByRole('button', { name: 'Save and connect' }).click();
    await expect
      .poll(() => dialog.getByRole('status').first().textContent())
      .toContain('Connected read-only');
    await dialog.getByLabel('Table', { exact: true }).selectOption('public.user_activity_log');
    const mapping = dialog.getByRole('group', { name: 'Mapping' });
    await expect.poll(() => mapping.getByLabel('Time', { exact: true }).inputValue()).toBe('created_at');
    return { dialog, mapping };
  }

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  }
});
