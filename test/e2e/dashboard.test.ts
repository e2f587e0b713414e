// The security dashboard and the alerts list in real Chromium against the real engine (serve
// mode) over the real samples: cards click through to exactly the events they count, thresholds
// change what fires, alerts are acknowledged, resolved and suppressed with notes that reach the
// journal, and a brute force imported while the page is open raises a desktop notification.
// Screenshots land in test/output/screenshots: look at them.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, REPO_ROOT } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';
import { footerCount, recordNotifications, recordedNotifications } from '../support/workspace-page.ts';
import { serveWorkspace, type ServedWorkspace } from '../support/serve-workspace.ts';
import { parseSearch } from '../../shared/query/parse-search.ts';
import { implementContract } from '../../electron/engine/dispatch.ts';

const temp = tempDir();
let w: ServedWorkspace;

const page = () => w.page;
const rows = () => page().locator('.log-row[data-seq]');
const dashboard = () => page().getByRole('region', { name: 'Security dashboard' });

const rowCount = (): Promise<number> => footerCount(page());

async function engineCount(text: string): Promise<number> {
  const parsed = parseSearch(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return (await w.cases.ready()).read.total(parsed.filter ? { filter: parsed.filter } : {});
}

async function view(name: string): Promise<void> {
  await page().getByRole('navigation', { name: 'Views' }).getByRole('button', { name }).click();
}

async function openDashboard(range = 'Whole case'): Promise<void> {
  await view('Dashboard');
  await dashboard().getByRole('tab', { name: range }).click();
  await dashboard().locator('.stat-tiles').waitFor();
}

const card = (ruleId: string) => dashboard().locator(`.rule-card[data-rule="${ruleId}"]`);

beforeAll(async () => {
  process.env.CHROMIUM_PATH ??= '/usr/bin/chromium';
  w = await serveWorkspace(temp.file('dashboard.auditscope'), [DATASETS]);
  // Notifications are recorded, not shown: what the page asked the browser to show is the test.
  await recordNotifications(page());

  await page().goto(w.server.url);
  await rows().first().waitFor();
}, 120_000);

afterAll(async () => {
  await w?.close();
  temp.cleanup();
});

describe('the security dashboard (serve mode, Chromium)', () => {
  it('shows the whole case and clicks through from tiles, breakdowns and rule cards', async () => {
    await openDashboard();
    const total = await engineCount('');
    await expect
      .poll(() => dashboard().locator('.stat-tile').first().locator('.stat-value').textContent())
      .toBe(total.toLocaleString('en-US'));
    // The GitHub user's four recoveries after failed sign-ins: one alert for the account.
    const recoveries = card('auditscope.failures-then-success');
    await expect
      .poll(() => recoveries.getByRole('button', { name: /siteshjha11/ }).textContent())
      .toContain('10');
    await expect(card('auditscope.suspicious-ip').textContent()).resolves.toContain('Nothing in this period');
    await w.shot('40-dashboard');
    await dashboard().getByRole('heading', { name: 'What happened' }).scrollIntoViewIfNeeded();
    await w.shot('40b-dashboard-what-happened');

    await recoveries.getByRole('button', { name: /siteshjha11/ }).click();
    await expect.poll(rowCount).toBe(10);
    await expect(page().locator('.chip.pinned').textContent()).resolves.toContain('siteshjha11');

    await openDashboard();
    const github = dashboard()
      .locator('.dash-card', { hasText: 'By source' })
      .getByRole('button', { name: /^github/ });
    await github.click();
    await expect.poll(rowCount).toBe(await engineCount('source:github'));
    await expect(page().getByLabel('Search', { exact: true }).inputValue()).resolves.toBe('source:github');
  });

  it('pins activity outside working hours as one filter, counted as the tile says', async () => {
    await openDashboard();
    const tile = dashboard().locator('.stat-tile', { hasText: 'Outside working hours' });
    const shown = Number(((await tile.locator('.stat-value').textContent()) ?? '').replaceAll(',', ''));
    // The workspace shows UTC here: outside 06:00–22:00 UTC, counted straight from the case.
    const offHours = await countOutsideHours(6, 22);
    expect(shown).toBe(offHours);
    expect(shown).toBeGreaterThan(0);
    await tile.click();
    await expect.poll(rowCount).toBe(offHours);
    await expect(page().locator('.chip.pinned').textContent()).resolves.toContain('Outside working hours');
    await page().locator('.chip.pinned').getByRole('button', { name: 'Remove filter' }).click();
  });

  it('takes new thresholds from the dialog, journaled, and the cards follow', async () => {
    await openDashboard();
    await expect(card('auditscope.targeted-account').textContent()).resolves.toContain(
      'Nothing in this period',
    );
    await dashboard().getByRole('button', { name: 'Thresholds…' }).click();
    const dialog = page().getByRole('dialog', { name: 'Detection thresholds' });
    await dialog.getByLabel('Failed sign-ins of one account (more than)').fill('1');
    await w.shot('41-thresholds');
    await dialog.getByRole('button', { name: 'Save' }).click();
    // Two failed sign-ins of the GitHub account 10 s apart on 2024-01-29.
    await expect
      .poll(() =>
        card('auditscope.targeted-account')
          .getByRole('button', { name: /siteshjha11/ })
          .textContent(),
      )
      .toContain('2');
    const journal = await (await w.cases.ready()).read.journal(0, 10_000);
    expect(journal.some((e) => e.action === 'detection.settings')).toBe(true);
  });
});

describe('the alerts list', () => {
  it('acknowledges, resolves with a note and suppresses an entity, all journaled', async () => {
    await view('Detections');
    const region = page().getByRole('region', { name: 'Detections' });
    const alertRow = (text: RegExp) => region.locator('.alerts-table tbody tr').filter({ hasText: text });
    const recoveries = alertRow(/Failed sign-ins, then a success/);
    await expect.poll(() => recoveries.count()).toBe(1);
    await w.shot('42-alerts');

    await recoveries.getByRole('button', { name: 'Acknowledge' }).click();
    let dialog = page().getByRole('dialog', { name: 'Acknowledge alert' });
    await dialog.getByRole('textbox').fill('checking with the user');
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => recoveries.locator('.alert-status').first().textContent()).toBe('acknowledged');

    await recoveries.getByRole('button', { name: 'Resolve' }).click();
    dialog = page().getByRole('dialog', { name: 'Resolve alert' });
    // A resolution says why: the button waits for a note.
    await expect(dialog.getByRole('button', { name: 'Resolve' }).isDisabled()).resolves.toBe(true);
    await dialog
      .getByRole('textbox')
      .fill('<img src=x onerror="window.__pwned=1"> user mistyped, confirmed by phone');
    await w.shot('43-resolve');
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    // Resolved alerts leave the open list, and stay in All with their note as text.
    await expect.poll(() => recoveries.count()).toBe(0);
    await region.getByRole('tab', { name: 'All' }).click();
    await expect.poll(() => recoveries.locator('.alert-note').textContent()).toContain('<img src=x');
    expect(await page().evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

    const keys = alertRow(/API key or access token/).filter({ hasText: 'siteshjha11' });
    await keys.getByRole('button', { name: 'Suppress' }).click();
    dialog = page().getByRole('dialog', { name: 'Suppress alert' });
    await dialog.getByRole('textbox').fill('token rotation by the CI bot');
    await dialog.getByRole('button', { name: 'Suppress' }).click();
    await expect.poll(() => keys.count()).toBe(0);
    await region.getByRole('tab', { name: /Suppressed/ }).click();
    await expect.poll(() => keys.count()).toBe(1);
    await w.shot('44-suppressed');

    const journal = await (await w.cases.ready()).read.journal(0, 10_000);
    const actions = journal.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['alert.acknowledged', 'alert.resolved', 'alert.suppressed']),
    );
    const resolved = journal.find((e) => e.action === 'alert.resolved');
    expect(resolved?.detail).toMatchObject({ note: expect.stringContaining('confirmed by phone') });
    expect(typeof resolved?.detail.analyst).toBe('string');
  });

  it('notifies of a high-severity alert that an import raises while the page is open', async () => {
    const brute = temp.file('ssh-brute-force.ndjson');
    const start = Date.UTC(2025, 6, 22, 3, 0);
    writeFileSync(
      brute,
      Array.from({ length: 6 }, (_, i) =>
        JSON.stringify({
          timestamp: new Date(start + i * 20_000).toISOString(),
          user: ['root', 'admin', 'oracle', 'test', 'ubuntu', 'git'][i],
          client_ip: '203.0.113.66',
          action: 'user.login',
          status: 'FAILED',
        }),
      ).join('\n'),
    );
    // The same engine the page is served by, called as the page's import would be.
    const engine = implementContract(w.cases, undefined, {
      ruleFolders: [path.join(REPO_ROOT, 'resources', 'rules')],
    });
    const importFiles = engine['import.files'] as (paths: string[], options: object) => Promise<unknown>;
    await importFiles([brute], {});
    const notifications = () => recordedNotifications(page());
    await expect
      .poll(async () => (await notifications()).map((n) => n.title))
      .toEqual(
        expect.arrayContaining([
          'High alert: Suspicious IP: repeated failed sign-ins',
          'High alert: Password spraying: one IP failing against many accounts',
        ]),
      );
    expect((await notifications()).find((n) => n.title.includes('Suspicious IP'))?.body).toBe(
      'ip 203.0.113.66 · 6 events',
    );
    // Only what the import added: nothing from before it.
    expect((await notifications()).every((n) => !n.title.includes('then a success'))).toBe(true);
    await openDashboard('24 hours');
    await expect
      .poll(() =>
        card('auditscope.suspicious-ip')
          .getByRole('button', { name: /203\.0\.113\.66/ })
          .textContent(),
      )
      .toContain('6');
    await w.shot('45-dashboard-brute-force');
    expect(w.pageErrors).toEqual([]);
  });
});

/** Events outside working hours, in UTC, straight from the case file's times. */
async function countOutsideHours(start: number, end: number): Promise<number> {
  const db = (await w.cases.ready()).read;
  const all = await db.total({});
  let outside = 0;
  // Pages of the whole case, times only: an oracle independent of the dashboard's filter.
  const handle = await db.openResult({ order: 'asc' });
  for (let at = 0; at < all; at += 500) {
    const page = await db.rows(handle, at, 500);
    for (const row of page) {
      const hour = new Date(row.time / 1000).getUTCHours();
      if (hour < start || hour >= end) outside++;
    }
  }
  await db.closeResult(handle);
  return outside;
}
