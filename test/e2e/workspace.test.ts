// The workspace in real Chromium, against the real engine in serve mode, over real audit data.
// Screenshots of every view land in test/output/screenshots: look at them.
import { footerCount } from '../support/workspace-page.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { CaseHost } from '../../electron/engine/cases/case-host.ts';
import { startServer, type RunningServer } from '../../electron/server/serve.ts';
import { launchChromium } from '../support/chromium.ts';
import { REPO_ROOT, dataset } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';
import { parseSearch } from '../../shared/query/parse-search.ts';
import { csvRows } from '../support/csv-rows.ts';
import { probeCsp } from './csp-probe.ts';

const RENDERER = path.join(REPO_ROOT, 'out', 'renderer');
const SHOTS = path.join(REPO_ROOT, 'test', 'output', 'screenshots');

/** Records built to attack a log viewer: markup, script URLs, bidi and terminal controls. */
const HOSTILE = [
  {
    time: '2024-05-01T10:00:00Z',
    user: '<img src=x onerror="window.__pwned=1">',
    action: 'login',
    ip: '10.0.0.1',
  },
  { time: '2024-05-01T10:00:01Z', user: 'eve', action: '<script>window.__pwned=2</script>', ip: '10.0.0.2' },
  {
    time: '2024-05-01T10:00:02Z',
    user: 'admin\u202Egnp.exe',
    action: 'upload',
    message: '\u001b[31mred\u001b[0m',
  },
  { time: '2024-05-01T10:00:03Z', user: 'mallory', action: 'visit', message: 'javascript:window.__pwned=3' },
];

const temp = tempDir();
let session: CaseSession;
let cases: CaseHost;
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** What the engine itself counts for a search: the figure the table must come to show. */
async function engineCount(searchText: string, range: { from?: number; to?: number } = {}): Promise<number> {
  const parsed = parseSearch(searchText);
  if (!parsed.ok) throw new Error(parsed.error.message);
  // The case open now: a test that switched cases and back has replaced the first session.
  const { read } = await cases.ready();
  const handle = await read.openResult({
    ...(parsed.filter ? { filter: parsed.filter } : {}),
    ...range,
  });
  try {
    return await read.count(handle);
  } finally {
    await read.closeResult(handle);
  }
}

async function search(text: string): Promise<void> {
  const box = page.getByLabel('Search');
  await box.fill(text);
  await box.press('Enter');
}

/** A fresh page on the whole case, so one test's filters never leak into the next. */
async function freshPage(): Promise<void> {
  await page.goto(server.url);
  await rows().first().waitFor();
}

/** Rows whose event has arrived (a row still loading has no data-seq). */
function rows() {
  return page.locator('.log-row[data-seq]');
}

const rowCount = (): Promise<number> => footerCount(page);

beforeAll(async () => {
  if (!existsSync(path.join(RENDERER, 'index.html')))
    throw new Error('no built UI in out/renderer: run npm run build');
  mkdirSync(SHOTS, { recursive: true });
  const hostile = temp.file('hostile.ndjson');
  writeFileSync(hostile, HOSTILE.map((r) => JSON.stringify(r)).join('\n'));
  session = await CaseSession.open(temp.file('e2e.auditscope'));
  await session.import([
    dataset('okta-system-log'),
    dataset('aws-cloudtrail', 'stratus-red-team-detonation-logs'),
    dataset('linux-auditd', 'go-libaudit'),
    hostile,
  ]);
  await session.buildFreeTextIndex();
  cases = new CaseHost(session);
  server = await startServer({ cases, rendererDir: RENDERER });
  browser = await launchChromium();
  page = await browser.newPage({
    viewport: { width: 1600, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await cases?.close();
  temp.cleanup();
});

describe('the workspace in Chromium (serve mode)', () => {
  it('refuses the page without its token', async () => {
    const response = await page.goto(server.url.replace(/\?token=.*/, ''));
    expect(response?.status()).toBe(401);
  });

  it('opens on every event of the case, newest first', async () => {
    await page.goto(server.url);
    await page.locator('.log-row[data-seq]').first().waitFor();
    const stats = await session.read.stats();
    expect(await rowCount()).toBe(stats.events);
    const times = await page.locator('.log-row[data-seq] .log-time').allTextContents();
    expect(times.length).toBeGreaterThan(10);
    expect([...times].sort().reverse()).toEqual(times);
    await shot('01-logs');
  });

  it('searches with the query syntax and shows a parse error for a wrong query', async () => {
    await page.keyboard.press('/');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Search');
    const failures = await engineCount('outcome:failure');
    expect(failures).toBeGreaterThan(0);
    await search('outcome:failure');
    await expect.poll(rowCount).toBe(failures);
    await expect.poll(() => rows().count()).toBe(failures);
    const outcomes = await page.locator('.log-row[data-seq] .outcome-failure').count();
    expect(outcomes).toBe(await page.locator('.log-row[data-seq]').count());
    await shot('02-search-failures');
    await search('action:(');
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/character/);
    // The table keeps the last valid search while the text is wrong.
    expect(await rowCount()).toBe(failures);
    await shot('03-search-error');
    await search('');
    await expect.poll(rowCount).toBe(await engineCount(''));
  });

  it('suggests field names and values with counts as you type', async () => {
    await freshPage();
    const box = page.getByLabel('Search');
    await box.click();
    await box.pressSequentially('outc');
    const list = page.getByRole('listbox', { name: 'Suggestions' });
    await expect(list.getByRole('option').first().textContent()).resolves.toContain('outcome:');
    await box.press('Tab');
    await expect(box.inputValue()).resolves.toBe('outcome:');
    await list.getByRole('option', { name: /failure/ }).waitFor();
    const failures = await engineCount('outcome:failure');
    await expect(list.getByRole('option', { name: /failure/ }).textContent()).resolves.toContain(
      String(failures),
    );
    await shot('02b-autocomplete');
    await list.getByRole('option', { name: /failure/ }).click();
    await expect(box.inputValue()).resolves.toBe('outcome:failure ');
    await box.press('Enter');
    await expect.poll(rowCount).toBe(failures);
  });

  it('opens details with the raw record, and filters for a value from them', async () => {
    await freshPage();
    const all = await rowCount();
    await page.locator('.log-row[data-seq]').nth(3).click();
    const panel = page.getByLabel('Event details');
    await panel.locator('.raw').waitFor();
    expect((await panel.locator('.raw').textContent())?.length).toBeGreaterThan(10);
    await shot('04-details');
    const source = (await panel.locator('dd').nth(1).locator('.value-text').textContent()) ?? '';
    await panel.locator('dd').nth(1).locator('.field-value').hover();
    await panel.getByLabel('Filter for source').first().click();
    await expect.poll(rowCount).toBe(await engineCount(`source:${source}`));
    await expect.poll(() => rows().count()).toBeGreaterThan(0);
    const sources = await page.locator('.log-row[data-seq] .log-cell:nth-child(8)').allTextContents();
    expect(new Set(sources)).toEqual(new Set([source]));
    await shot('05-filtered-by-source');
    await page.getByLabel('Remove filter').click();
    await expect.poll(rowCount).toBe(all);
    await page.keyboard.press('Escape');
    await expect(panel.count()).resolves.toBe(0);
  });

  it('counts related events around one and pivots to them', async () => {
    await freshPage();
    await rows().first().click();
    const panel = page.getByLabel('Event details');
    const related = panel.locator('.related');
    await related.waitFor();
    const sameActor = related.getByRole('button', { name: /Same actor/ });
    await expect.poll(() => sameActor.locator('.count').textContent()).not.toBe('…');
    const shown = Number((await sameActor.locator('.count').textContent())?.replaceAll(',', ''));
    const actor = (await sameActor.locator('.mono').textContent()) ?? '';
    const seq = Number(await rows().first().getAttribute('data-seq'));
    const event = await session.read.event(seq);
    const around = { from: (event?.time ?? 0) - 3600e6, to: (event?.time ?? 0) + 3600e6 + 1 };
    expect(shown).toBe(await engineCount(`actor:"${actor}"`, around));
    await shot('04b-related-events');
    await sameActor.click();
    await expect.poll(rowCount).toBe(shown);
    await expect(page.locator('.chip').textContent()).resolves.toContain(actor);
  });

  it('shows field statistics for any field or raw path, and from a detail label', async () => {
    await freshPage();
    const input = page.getByLabel('Field statistics for');
    await input.fill('eventSource');
    await input.press('Enter');
    const top = await session.read.topValues({}, 'eventSource', 12);
    const first = top.values[0] as { value: string; count: number };
    const list = page.locator('.breakdown-list');
    await expect.poll(() => list.locator('li').first().locator('.label').textContent()).toBe(first.value);
    await expect(list.locator('li').first().locator('.count').textContent()).resolves.toContain(
      String(first.count),
    );
    await shot('12-field-statistics');
    await rows().first().click();
    await page.getByLabel('Event details').getByRole('button', { name: 'Actor type' }).click();
    const types = await session.read.topValues({}, 'actor.type', 12);
    await expect
      .poll(() => list.locator('li').first().locator('.label').textContent())
      .toBe(types.values[0]?.value);
  });

  it('takes a typed custom time range', async () => {
    await freshPage();
    await page.getByRole('button', { name: 'Custom…' }).click();
    await page.getByLabel('From', { exact: true }).fill('2024-01-01T00:00Z');
    await page.getByLabel('To', { exact: true }).fill('2024-01-01');
    await expect(page.getByRole('button', { name: 'Apply' }).isDisabled()).resolves.toBe(true);
    await page.getByLabel('To', { exact: true }).fill('2025-01-01T00:00Z');
    await page.getByRole('button', { name: 'Apply' }).click();
    const range = {
      from: Date.parse('2024-01-01T00:00Z') * 1000,
      to: Date.parse('2025-01-01T00:00Z') * 1000,
    };
    await expect.poll(rowCount).toBe(await engineCount('', range));
    expect(await rowCount()).toBeGreaterThan(0);
  });

  it('moves through rows with the keyboard and opens details with Enter', async () => {
    await freshPage();
    await rows().first().click();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect(page.locator('.log-row.active').getAttribute('aria-rowindex')).resolves.toBe('3');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.getByLabel('Event details').waitFor();
    const active = await page.locator('.log-row.active').getAttribute('data-seq');
    expect(await page.locator('.log-row.open').getAttribute('data-seq')).toBe(active);
    await page.keyboard.press('Escape');
  });

  it('selects rows with Shift and Ctrl and copies them as JSON lines', async () => {
    await freshPage();
    await rows().nth(0).click();
    await page.keyboard.press('Escape');
    await rows()
      .nth(3)
      .click({ modifiers: ['Shift'] });
    await rows()
      .nth(6)
      .click({ modifiers: ['Control'] });
    await expect(page.locator('.log-row.selected').count()).resolves.toBe(5);
    await page.keyboard.press('Control+c');
    await expect.poll(() => page.locator('.log-footer').textContent()).toContain('Copied 5 events as JSON');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const events = copied.split('\n').map((line) => JSON.parse(line) as { seq: number; raw: string });
    const seqs = await Promise.all([0, 1, 2, 3, 6].map((i) => rows().nth(i).getAttribute('data-seq')));
    expect(events.map((e) => String(e.seq))).toEqual(seqs);
    expect(events.every((e) => typeof e.raw === 'string' && e.raw.length > 0)).toBe(true);
  });

  it('copies a cell and filters by it from the cell menu', async () => {
    await freshPage();
    const cell = rows().nth(1).locator('[role=gridcell]').nth(1);
    const actor = (await cell.textContent()) ?? '';
    expect(actor).not.toBe('');
    await cell.click({ button: 'right' });
    const menu = page.getByRole('menu', { name: 'Actor cell' });
    await shot('16-cell-menu');
    await menu.getByRole('menuitem', { name: /^Copy actor/ }).click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(actor);
    await expect(page.locator('.log-footer').textContent()).resolves.toContain('Copied actor');
    await cell.click({ button: 'right' });
    await menu.getByRole('menuitem', { name: 'Filter out this actor' }).click();
    await expect.poll(rowCount).toBe(await engineCount(`-actor:"${actor}"`));
    await expect(page.locator('.chips').textContent()).resolves.toContain(actor);
  });

  it('jumps the table from a histogram bar, zooms by brushing, and filters from the breakdown', async () => {
    await freshPage();
    const all = await rowCount();
    const canvas = page.locator('.histogram canvas').first();
    const box = (await canvas.boundingBox()) as { x: number; y: number; width: number; height: number };
    // The grid starts 48 px in; the oldest bucket (2007, auditd) is the first bar.
    await page.mouse.click(box.x + 52, box.y + box.height - 30);
    await expect.poll(() => page.locator('.log-row.active').getAttribute('aria-rowindex')).not.toBe('1');
    const active = page.locator('.log-row.active');
    // The row is active as soon as the cursor moves; its data arrives with its page.
    await expect.poll(() => active.locator('.log-time').textContent()).toMatch(/^2007-/);
    const position = Number(await active.getAttribute('aria-rowindex')) - 1;
    const newer = await engineCount('', { from: Date.parse('2007-03-01T00:00Z') * 1000 });
    expect(position).toBeGreaterThanOrEqual(newer - 1);
    await shot('06-histogram-jump');
    // Brush across the right part of the chart: the range narrows to those buckets.
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 15, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect.poll(rowCount).toBeLessThan(all);
    await expect(page.getByRole('button', { name: 'Custom range ✕' }).count()).resolves.toBe(1);
    await shot('06a-histogram-brush');
    await page.getByRole('button', { name: 'category' }).click();
    await expect(page.getByRole('button', { name: 'category' }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
    await page.waitForTimeout(300);
    await shot('06b-histogram-by-category');
    await page.getByRole('button', { name: 'Custom range ✕' }).click();
    await expect.poll(rowCount).toBe(all);
    await page.getByRole('tab', { name: 'Outcomes' }).click();
    await page.locator('.breakdown-list button', { hasText: 'failure' }).click();
    await expect.poll(rowCount).toBe(await engineCount('outcome:failure'));
    await page.getByLabel('Remove filter').click();
  });

  it('switches the display time zone without changing the rows', async () => {
    await freshPage();
    const utc = await page.locator('.log-row[data-seq] .log-time').first().textContent();
    await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
    const tokyo = await page.locator('.log-row[data-seq] .log-time').first().textContent();
    expect(tokyo).not.toBe(utc);
    const hours = (t: string | null) => Number(t?.slice(11, 13));
    expect((hours(tokyo) - hours(utc) + 24) % 24).toBe(9);
    await page.getByLabel('Time zone').selectOption('utc');
  });

  it('shows hostile log text as inert text', async () => {
    await freshPage();
    await search('ip:10.0.0.0/8 OR action:upload OR action:visit');
    await expect.poll(rowCount).toBe(4);
    await expect.poll(() => rows().count()).toBe(4);
    const text = (await page.locator('.log-body').textContent()) ?? '';
    expect(text).toContain('<img src=x onerror="window.__pwned=1">');
    expect(text).toContain('<script>window.__pwned=2</script>');
    expect(text).toContain('admin⟨U+202E⟩gnp.exe');
    expect(text).toContain('␛[31mred␛[0m');
    for (const row of await page.locator('.log-row[data-seq]').all()) {
      await row.click();
      await page.getByLabel('Event details').locator('.raw').waitFor();
    }
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    // Nothing from the payloads became an element anywhere on the page (the app itself uses
    // neither images nor inline scripts).
    expect(await page.locator('body img, body script, body iframe').count()).toBe(0);
    await shot('07-hostile-text');
    await search('');
    await expect.poll(rowCount).toBe(await engineCount(''));
  });

  it('imports picked files with progress and a summary, and shows the rejected records', async () => {
    await freshPage();
    const before = await rowCount();
    const github = dataset('github-audit', 'azure-sentinel-sample', 'Github_sample_logs.json');
    const lines = readFileSync(github, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const damaged = temp.file('github-damaged.ndjson');
    writeFileSync(damaged, [lines[0], '{"truncated": ', lines[1], 'not json at all', lines[2]].join('\n'));
    await page.getByLabel('Choose files to import').setInputFiles([github, damaged]);
    const panel = page.getByLabel('Import', { exact: true });
    await panel.getByText('Import finished').waitFor();
    const totals = (await panel.locator('.import-totals').textContent()) ?? '';
    // 63 new from the export; its first three records again as duplicates; two damaged lines.
    expect(totals).toMatch(/^63 new · 3 duplicates · 2 rejected/);
    await expect.poll(rowCount).toBe(before + 63);
    await shot('09-import-summary');
    await panel.getByRole('button', { name: /2 — view/ }).click();
    const rejects = page.getByRole('dialog');
    await expect.poll(() => rejects.locator('tbody tr').count()).toBe(2);
    const text = (await rejects.locator('tbody').textContent()) ?? '';
    expect(text).toContain('{"truncated":');
    expect(text).toContain('not json at all');
    await shot('10-rejects');
    await page.getByLabel('Close rejects').click();
    await page.getByLabel('Close import summary').click();
  });

  it('lets columns be hidden, added from raw fields, resized and moved, and keeps the layout', async () => {
    await freshPage();
    const headers = () => page.locator('.log-header [role=columnheader]').allTextContents();
    await page.getByRole('button', { name: 'Columns…' }).click();
    const menu = page.getByRole('dialog', { name: 'Columns' });
    await menu.getByLabel('Category').uncheck();
    await menu.getByLabel('Raw field path').fill('eventName');
    await menu.getByRole('button', { name: 'Add' }).click();
    await menu.getByLabel('Raw field path').fill('not a path!');
    await menu.getByRole('button', { name: 'Add' }).click();
    await expect(menu.getByLabel('Raw field path').getAttribute('aria-invalid')).resolves.toBe('true');
    await menu.getByRole('button', { name: 'Done' }).click();
    expect(await headers()).not.toContain('Category');
    expect((await headers()).at(-1)).toBe('eventName');
    await search('source:aws.cloudtrail');
    await expect.poll(rowCount).toBe(await engineCount('source:aws.cloudtrail'));
    await expect.poll(() => rows().first().locator('[role=gridcell]').last().textContent()).not.toBe('');

    const actor = page.locator('.log-header [role=columnheader]', { hasText: 'Actor' });
    const before = (await actor.boundingBox())?.width ?? 0;
    const handle = page.getByLabel('Resize Actor');
    const box = await handle.boundingBox();
    await page.mouse.move((box?.x ?? 0) + 2, (box?.y ?? 0) + 5);
    await page.mouse.down();
    await page.mouse.move((box?.x ?? 0) + 82, (box?.y ?? 0) + 5, { steps: 4 });
    await page.mouse.up();
    expect((await actor.boundingBox())?.width ?? 0).toBeCloseTo(before + 80, -1);

    await page.locator('.log-header [role=columnheader]', { hasText: 'Source' }).dragTo(actor);
    expect((await headers()).slice(0, 2)).toEqual(['Source', 'Actor']);
    await shot('11-columns');
    await freshPage();
    expect((await headers()).slice(0, 2)).toEqual(['Source', 'Actor']);
    expect(await headers()).not.toContain('Category');
    await page.getByRole('button', { name: 'Columns…' }).click();
    await page.getByRole('button', { name: 'Default layout' }).click();
    await page.getByRole('button', { name: 'Done' }).click();
    expect((await headers()).slice(0, 3)).toEqual(['Actor', 'Action', 'Category']);
  });

  it('shows activity lanes on the Timeline, and a click on a cell opens its events in Logs', async () => {
    await freshPage();
    await page.getByRole('button', { name: 'Timeline' }).click();
    const chart = page.getByRole('img', { name: 'Activity over time by actor' });
    const lanes = await session.aggregate.lanes({}, 'actor', { lanes: 15, maxBuckets: 120 });
    await expect.poll(() => chart.getAttribute('data-lanes')).toBe(String(lanes.lanes.length));
    await expect(page.locator('.timeline-status').textContent()).resolves.toBe(
      `Top ${lanes.lanes.length} actor values of ${lanes.total.toLocaleString('en-US')} events · ` +
        `one column per ${lanes.interval / 86400e6} d · red dot: failures`,
    );
    await shot('15-timeline');

    // The busiest lane is drawn on top; click its busiest cell (the grid is 260 px from the left,
    // 24 from the right, 10 from the top and 28 from the bottom).
    const top = lanes.lanes[0] as (typeof lanes.lanes)[number];
    const [x, events] = top.cells.reduce((best, cell) => (cell[1] > best[1] ? cell : best));
    const box = (await chart.boundingBox()) as { x: number; y: number; width: number; height: number };
    const cellWidth = (box.width - 284) / lanes.buckets;
    const laneHeight = (box.height - 38) / lanes.lanes.length;
    const at = { x: box.x + 260 + (x + 0.5) * cellWidth, y: box.y + 10 + laneHeight / 2 };
    await page.mouse.move(at.x, at.y);
    await expect.poll(() => page.locator('.timeline-status').textContent()).toContain(`${events} events`);
    await page.mouse.click(at.x, at.y);
    await expect(page.getByRole('button', { name: 'Logs' }).getAttribute('aria-current')).resolves.toBe(
      'page',
    );
    const from = lanes.from + x * lanes.interval;
    const expected = await engineCount(`actor:"${top.value}"`, { from, to: from + lanes.interval });
    expect(expected).toBe(events);
    await expect.poll(rowCount).toBe(events);
    await expect(page.locator('.chips').textContent()).resolves.toContain(top.value);
  });

  it('has a light theme', async () => {
    await freshPage();
    await page.getByLabel('Toggle theme').click();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('light');
    await page.locator('.log-row[data-seq]').nth(1).click();
    await page.getByLabel('Event details').locator('.raw').waitFor();
    await shot('08-light-theme');
  });

  it('creates a new case, opens cases by path and from the recent list', async () => {
    await freshPage();
    const all = await rowCount();
    const caseButton = page.getByRole('button', { name: /^Case / });
    await expect(caseButton.textContent()).resolves.toContain('e2e');
    await search('outcome:failure');
    await expect.poll(rowCount).toBeLessThan(all);

    await caseButton.click();
    await page.getByRole('menuitem', { name: 'New case…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New case' });
    await expect(dialog.getByRole('textbox').inputValue()).resolves.toBe(`${temp.dir}/new-case.auditscope`);
    await dialog.getByRole('textbox').fill(temp.file('e2e.auditscope'));
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toMatch(/already exists/);
    await dialog.getByRole('textbox').fill(temp.file('incident-42'));
    await dialog.getByRole('button', { name: 'Create' }).click();
    // Opening a case starts its threads: under a loaded machine that takes more than a second.
    await expect.poll(() => caseButton.textContent(), { timeout: 10_000 }).toContain('incident-42');
    // A new case: no events, and the previous case's search is gone.
    await expect.poll(() => page.locator('.log-table').getAttribute('aria-rowcount')).toBe('0');
    await expect(page.getByLabel('Search').inputValue()).resolves.toBe('');
    await expect.poll(() => page.locator('.case-summary').textContent()).toContain('0 events');
    await shot('17-new-case');

    await caseButton.click();
    await page.getByRole('menuitem', { name: 'Open case…' }).click();
    const open = page.getByRole('dialog', { name: 'Open case' });
    await open.getByRole('textbox').fill(temp.file('missing.auditscope'));
    await open.getByRole('button', { name: 'Open' }).click();
    await expect(open.getByRole('alert').textContent()).resolves.toMatch(/no case file/);
    await shot('18-open-case-error');
    await page.keyboard.press('Escape');
    await expect(open.count()).resolves.toBe(0);

    await caseButton.click();
    const menu = page.getByRole('menu', { name: 'Case' });
    await expect(menu.getByRole('menuitem', { name: /e2e/ }).count()).resolves.toBe(1);
    await shot('19-case-menu');
    await menu.getByRole('menuitem', { name: /e2e/ }).click();
    await expect.poll(() => caseButton.textContent(), { timeout: 10_000 }).toContain('e2e');
    await expect.poll(rowCount, { timeout: 10_000 }).toBe(all);
  });

  it('stars, tags and notes events, shows the marks in the table, and finds them', async () => {
    await freshPage();
    await rows().nth(1).click();
    const details = page.getByLabel('Event details');
    const marks = details.getByRole('region', { name: 'Marks' });
    await marks.getByRole('button', { name: '☆ Star' }).click();
    await expect.poll(() => marks.getByRole('button', { name: '★ Starred' }).count()).toBe(1);
    await marks.getByLabel('Add a tag').fill('initial-access');
    await marks.getByLabel('Add a tag').press('Enter');
    await expect.poll(() => marks.locator('.tag-chip').textContent()).toContain('initial-access');
    await marks.getByRole('button', { name: '+ Add a note' }).click();
    await marks
      .getByLabel('Note')
      .fill('Attacker logs in <img src=x onerror="window.__pwned=9">\nsecond line');
    await marks.getByRole('button', { name: 'Save note' }).click();
    await expect.poll(() => marks.locator('.note-text').textContent()).toContain('<img src=x onerror');
    await expect(page.evaluate(() => (window as { __pwned?: number }).__pwned)).resolves.toBeUndefined();
    await expect.poll(() => rows().nth(1).locator('.mark-star').count()).toBe(1);
    await shot('25-marks');

    // Two more rows starred from the keyboard, selected with Ctrl-click.
    await page.keyboard.press('Escape');
    await rows().nth(3).click();
    await rows()
      .nth(4)
      .click({ modifiers: ['Control'] });
    await page.keyboard.press('s');
    await expect.poll(() => rows().nth(4).locator('.mark-star').count()).toBe(1);
    await search('is:starred');
    await expect.poll(rowCount).toBe(3);
    await search('tag:initial-access is:noted');
    await expect.poll(rowCount).toBe(1);
  });

  it('saves a search with the case and runs it again from the Saved menu', async () => {
    await freshPage();
    await search('outcome:failure');
    const failures = await engineCount('outcome:failure');
    await expect.poll(rowCount).toBe(failures);
    await page.getByRole('button', { name: 'Saved ▾' }).click();
    const menu = page.getByRole('menu', { name: 'Saved searches' });
    await menu.getByLabel('Name for the current search').fill('All failures');
    await menu.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => menu.getByRole('menuitem', { name: /All failures/ }).count()).toBe(1);
    await shot('26-saved-searches');
    await page.keyboard.press('Escape');
    await search('action:login');
    await expect.poll(rowCount).not.toBe(failures);
    await page.getByRole('button', { name: 'Saved ▾' }).click();
    await menu.getByRole('menuitem', { name: /All failures/ }).click();
    await expect.poll(() => page.getByLabel('Search').inputValue()).toBe('outcome:failure');
    await expect.poll(rowCount).toBe(failures);
  });

  it('verifies the case: its journal and its input files', async () => {
    await freshPage();
    await page.getByRole('button', { name: /^Case / }).click();
    await page.getByRole('menuitem', { name: 'Verify case…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Verify case' });
    await expect
      .poll(() => dialog.getByRole('status').textContent())
      .toMatch(/^Verified\. The journal's \d+ entries are intact\.$/);
    await expect(dialog.locator('.verify-hash').textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
    await expect.poll(() => dialog.locator('.verify-table').last().locator('tr').count()).toBeGreaterThan(3);
    await shot('24-verify');
    await page.keyboard.press('Escape');
    await expect(dialog.count()).resolves.toBe(0);
  });

  it('shows the keyboard shortcuts and search syntax on ?', async () => {
    await freshPage();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts and query syntax' });
    await expect(help.textContent()).resolves.toMatch(/Search syntax.*ip:10\.0\.0\.0\/8/s);
    await shot('20-help');
    await page.keyboard.press('Escape');
    await expect(help.count()).resolves.toBe(0);
  });

  it('exports the current filter as a download that reads back to the same events', async () => {
    await freshPage();
    await search('outcome:failure');
    const expected = await engineCount('outcome:failure');
    await expect.poll(rowCount).toBe(expected);
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export events' });
    await expect.poll(() => dialog.textContent()).toContain(`${expected} events`);
    await shot('21-export');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('e2e-export.csv');
    const text = readFileSync(await download.path(), 'utf8');
    expect(text.startsWith('\uFEFFid,time,')).toBe(true);
    const rows = csvRows(text.slice(1));
    expect(rows).toHaveLength(expected);
    expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['failure']));
    await expect(dialog.count()).resolves.toBe(0);
  });

  it('enforces its Content-Security-Policy: injected script does not run and is reported', async () => {
    // A page of its own, so the one violation it provokes stays out of the page-error check below.
    const probe = await browser.newPage();
    try {
      await probe.goto(server.url);
      await probe.locator('.log-row[data-seq]').first().waitFor();
      const outcome = await probeCsp(probe);
      expect(outcome).toEqual({ ran: undefined, violations: ['frame-src', 'script-src-elem'] });
    } finally {
      await probe.close();
    }
  });

  it('raised no page errors', () => {
    // The one expected error: the tokenless load of the first test, refused with 401.
    const expected = /^Failed to load resource: the server responded with a status of 401/;
    expect(pageErrors.filter((e) => !expected.test(e))).toEqual([]);
  });
});
