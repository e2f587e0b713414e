// Investigation work in real Chromium against the real engine (serve mode) over real audit data:
// marks in bulk, notes in Markdown, the investigation timeline, actor journeys and per-user
// activity, a PDF report read back with pdftotext, search history, deleting events.
// Screenshots land in test/output/screenshots: look at them.
import { pdfText } from '../support/pdftotext.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';
import { footerCount } from '../support/workspace-page.ts';
import { serveWorkspace, type ServedWorkspace } from '../support/serve-workspace.ts';
import { parseSearch } from '../../shared/query/parse-search.ts';
import { verifyCase } from '../../electron/engine/cases/verify-case.ts';

const temp = tempDir();
const casePath = temp.file('investigation.auditscope');
let w: ServedWorkspace;

const page = () => w.page;
const rows = () => page().locator('.log-row[data-seq]');

const rowCount = (): Promise<number> => footerCount(page());

async function engineCount(text: string): Promise<number> {
  const parsed = parseSearch(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return (await w.cases.ready()).read.total(parsed.filter ? { filter: parsed.filter } : {});
}

async function search(text: string): Promise<void> {
  const box = page().getByLabel('Search', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

/** Switches the workspace's view from the header's navigation. */
async function view(name: string): Promise<void> {
  await page().getByRole('navigation', { name: 'Views' }).getByRole('button', { name }).click();
}

const pwned = () => page().evaluate(() => (window as { __pwned?: number }).__pwned);

beforeAll(async () => {
  process.env.CHROMIUM_PATH ??= '/usr/bin/chromium';
  w = await serveWorkspace(casePath, [
    dataset('aws-cloudtrail', 'stratus-red-team-detonation-logs'),
    dataset('okta-system-log'),
  ]);
  await page().goto(w.server.url);
  await rows().first().waitFor();
}, 60_000);

afterAll(async () => {
  await w?.close();
  temp.cleanup();
});

describe('investigating in Chromium (serve mode)', () => {
  it('stars and tags a selection in bulk and notes an event in Markdown', async () => {
    const failures = await engineCount('outcome:failure');
    expect(failures).toBeGreaterThanOrEqual(2);
    await search('kind:view OR outcome:failure');
    await expect.poll(rowCount).toBe(await engineCount('kind:view OR outcome:failure'));
    await rows().nth(0).click();
    await rows()
      .nth(2)
      .click({ modifiers: ['Shift'] });
    const actions = page().getByLabel('Selected rows');
    await actions.getByRole('button', { name: '☆ Star' }).click();
    await actions.getByLabel('Tag the selected rows').fill('recon');
    await actions.getByLabel('Tag the selected rows').press('Enter');
    await expect.poll(() => engineCount('tag:recon is:starred')).toBe(3);
    await w.shot('30-bulk-marks');

    await rows().nth(1).click();
    await page().keyboard.press('Enter');
    // Chain of custody down to the record: the input file, its line and byte offset.
    const origin = page().getByLabel('Event details').locator('.origin');
    await expect
      .poll(() => origin.textContent())
      .toMatch(/(stratus-red-team|okta).* · line \d+ · byte [\d,]+ · SHA-256 [0-9a-f]{12}…/);
    const marks = page().getByLabel('Event details').getByRole('region', { name: 'Marks' });
    await marks.getByRole('button', { name: '+ Add a note' }).click();
    await marks
      .getByLabel('Note')
      .fill('Recon by **the intruder**\n- listed buckets\n<img src=x onerror="window.__pwned=7">');
    await marks.getByRole('button', { name: 'Save note' }).click();
    await expect.poll(() => marks.locator('.note-text strong').textContent()).toBe('the intruder');
    await expect.poll(() => marks.locator('.note-text li').count()).toBe(1);
    await expect(marks.locator('.note-text').textContent()).resolves.toContain('<img src=x onerror');
    await expect(pwned()).resolves.toBeUndefined();
  });

  it('tells the story on the investigation timeline, with case notes between the events', async () => {
    await view('Investigation');
    const region = page().getByRole('region', { name: 'Investigation' });
    await expect.poll(() => region.locator('.story-item').count()).toBe(3);
    await region.getByRole('button', { name: '+ Case note' }).click();
    await region
      .getByLabel('Case note')
      .fill('## Plan\n**Contain** the role <script>window.__pwned=8</script>');
    await region.getByRole('button', { name: 'Save note' }).click();
    await expect.poll(() => region.locator('.story-notes .case-note h2').textContent()).toBe('Plan');
    await region.getByRole('button', { name: 'Note after this' }).first().click();
    await region.getByLabel('Case note').fill('Keys rotated after this.');
    await region.getByRole('button', { name: 'Save note' }).click();
    await expect.poll(() => region.locator('.story-line .story-note').count()).toBe(1);
    // The pinned note sits right after the first event, in time order.
    const kinds = await region
      .locator('.story-line > li')
      .evaluateAll((items) => items.map((i) => i.className));
    expect(kinds[1]).toContain('story-note');
    expect(await region.locator('.story-text').first().textContent()).not.toBe('');
    await expect(pwned()).resolves.toBeUndefined();
    const notes = (await w.cases.ready()).read.caseNotes();
    expect((await notes).map((n) => n.time === null)).toEqual([true, false]);
    await w.shot('31-investigation');

    // Through to the event in Logs.
    const action = (await region.locator('.story-item .story-head .mono').nth(1).textContent()) ?? '';
    await region.getByRole('button', { name: 'Open in Logs' }).first().click();
    const details = page().getByLabel('Event details');
    await expect.poll(() => details.textContent()).toContain(action);
  });

  it('shows actor journeys and one actor’s activity, and opens them in Logs', async () => {
    // A fresh page: Open in Logs left the table on minutes around one event.
    await page().goto(w.server.url);
    await rows().first().waitFor();
    await view('Actors');
    const region = page().getByRole('region', { name: 'Actors' });
    // The chart is drawn empty (0 lanes) before its journeys arrive: wait for them.
    await expect
      .poll(async () => Number(await region.locator('.journey-chart').getAttribute('data-lanes')), {
        timeout: 10_000,
      })
      .toBeGreaterThan(1);
    const card = region.locator('.activity-card');
    const actor = (await region.locator('.entity-list li.focused .entity-name').textContent()) ?? '';
    const { read } = await w.cases.ready();
    const [summary] = await read.activity({}, 'actor', { limit: 1, values: [actor] });
    await expect
      .poll(() => card.locator('.activity-facts div').first().textContent())
      .toBe(`Actions${summary?.events.toLocaleString('en-US')}`);
    await w.shot('32-actors');
    await card.getByRole('button', { name: 'Show in Logs' }).click();
    await expect.poll(rowCount).toBe(await engineCount(`actor:"${actor}"`));
  });

  it('downloads a PDF case report whose text carries custody and the note literally', async () => {
    await page().goto(w.server.url);
    await rows().first().waitFor();
    const head = (await verifyCase(casePath)).journal.head as string;
    await page().getByRole('button', { name: 'Export…' }).click();
    const dialog = page().getByRole('dialog', { name: 'Export events' });
    await dialog.getByText('PDF report').click();
    await dialog.getByRole('combobox').selectOption('case');
    await w.shot('33-export-report');
    const [download] = await Promise.all([
      page().waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('investigation-report.pdf');
    const text = pdfText(await download.path());
    expect(text).toContain('Chain of custody');
    expect(text).toContain('Marked events');
    expect(text.replace(/\s+/g, '')).toContain(head);
    expect(text).toContain('<img src=x onerror="window.__pwned=7">');
    expect(text).toContain('<script>window.__pwned=8</script>');
    const journal = await (await w.cases.ready()).read.journal(0, 1000);
    expect(journal[journal.length - 1]).toMatchObject({ action: 'report', detail: { format: 'pdf' } });
  });

  it('keeps a history of searches run and the columns of saved ones', async () => {
    await search('action:ConsoleLogin');
    await expect
      .poll(async () => (await (await w.cases.ready()).aggregate.searchHistory())[0]?.search, {
        timeout: 5000,
      })
      .toBe('action:ConsoleLogin');
    await page().getByRole('button', { name: 'Saved ▾' }).click();
    const menu = page().getByRole('menu', { name: 'Saved searches' });
    await expect
      .poll(() => menu.locator('.history-item').first().textContent())
      .toContain('action:ConsoleLogin');
    await w.shot('34-history');
    await page().keyboard.press('Escape');
  });

  it('runs the detection rules and shows a detection’s events in Logs', async () => {
    await page().goto(w.server.url);
    await rows().first().waitFor();
    await view('Detections');
    const region = page().getByRole('region', { name: 'Detections' });
    await region.getByRole('tab', { name: 'Rules' }).click();
    const row = region.getByRole('row').filter({ hasText: 'CloudTrail Trail Deleted or Stopped' });
    await expect.poll(() => row.count()).toBe(1);
    await expect(row.locator('td.num').textContent()).resolves.toBe('1');
    const reads = region.getByRole('row').filter({ hasText: 'Many Secrets Read by One Principal' });
    const secrets = await engineCount('eventName:GetSecretValue');
    await expect.poll(() => reads.locator('td.num').textContent()).toBe(String(secrets));
    // Most severe first.
    const levels = await region.locator('.detections-table .level').allTextContents();
    expect(levels[0]).toBe('high');
    expect(levels[levels.length - 1]).toBe('informational');
    await w.shot('36-detections');
    await row.getByRole('button', { name: 'Show events' }).click();
    await expect.poll(rowCount).toBe(1);
    await expect(rows().first().textContent()).resolves.toContain('DeleteTrail');
    await expect(page().locator('.chip.pinned').textContent()).resolves.toContain(
      'CloudTrail Trail Deleted or Stopped',
    );
    await page().locator('.chip.pinned').getByRole('button', { name: 'Remove filter' }).click();
    await expect.poll(rowCount).toBe(await engineCount(''));
  });

  it('deletes selected rows after confirmation, journaled, and a retention rule counts first', async () => {
    await search('');
    const before = await rowCount();
    await rows().nth(0).click();
    await rows()
      .nth(1)
      .click({ modifiers: ['Shift'] });
    await page().getByLabel('Selected rows').getByRole('button', { name: 'Delete…' }).click();
    const dialog = page().getByRole('dialog', { name: 'Delete events' });
    const remove = dialog.getByRole('button', { name: /^Delete 2 events$/ });
    await remove.waitFor();
    await expect(remove.isDisabled()).resolves.toBe(true);
    await dialog.getByRole('checkbox').check();
    await w.shot('35-delete');
    await remove.click();
    await expect.poll(() => dialog.textContent()).toContain('Deleted 2 events');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(rowCount).toBe(before - 2);
    const journal = await (await w.cases.ready()).read.journal(0, 1000);
    expect(journal[journal.length - 1]).toMatchObject({ action: 'delete', detail: { events: 2 } });

    await page().getByRole('button', { name: /^Case/ }).click();
    await page().getByRole('menuitem', { name: 'Delete events…' }).click();
    await dialog.getByText('A retention rule').click();
    await dialog.getByLabel('Days', { exact: true }).fill('36500');
    await expect.poll(() => dialog.textContent()).toContain('0 events will be removed');
    await expect(dialog.getByRole('checkbox').isDisabled()).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(w.pageErrors).toEqual([]);
  });
});
