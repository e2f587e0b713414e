// Following a log file from the workspace, in real Chromium against the real engine (serve mode):
// Follow… a file while a writer appends real Okta events, the table keeping up; pause, and the
// exact number of events that arrived meanwhile; scrolling away stops following; jump back to
// live; a brute force written to the file raises a notification; stop; followed again after two
// rotations while stopped, the warning that what the file held then is gone. Screenshots 50–54.
import { appendFileSync, linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';
import { footerCount, recordNotifications, recordedNotifications } from '../support/workspace-page.ts';
import { serveWorkspace, type ServedWorkspace } from '../support/serve-workspace.ts';

const temp = tempDir();
let w: ServedWorkspace;
const page = () => w.page;
const bar = () => page().getByRole('region', { name: 'Live tail' });

const rowCount = (): Promise<number> => footerCount(page());
const engineTotal = async (): Promise<number> => (await w.cases.ready()).read.total({});

const okta = readFileSync(
  dataset('okta-system-log', 'cribl-okta-rest', 'okta_system_log.part1.ndjson'),
  'utf8',
)
  .split('\n')
  .filter((l) => l.trim() !== '');
const log = temp.file('okta-live.ndjson');
let next = 0;
/** Appends the next `n` Okta events to the followed file. */
const write = (n: number): void => {
  appendFileSync(log, `${okta.slice(next, next + n).join('\n')}\n`);
  next += n;
};

/** Follow… the log file from the workspace (read from its start, or on from the last tail). */
async function follow(options: { fromStart: boolean; shot?: string }): Promise<void> {
  await page().getByRole('button', { name: 'Follow…' }).click();
  const dialog = page().getByRole('dialog', { name: 'Follow a log file' });
  await dialog.getByLabel('File path').fill(log);
  if (options.fromStart) await dialog.getByRole('checkbox').check();
  if (options.shot) await w.shot(options.shot);
  await dialog.getByRole('button', { name: 'Follow' }).click();
}

beforeAll(async () => {
  process.env.CHROMIUM_PATH ??= '/usr/bin/chromium';
  w = await serveWorkspace(temp.file('live.auditscope'), [dataset('github-audit')]);
  await recordNotifications(page());

  await page().goto(w.server.url);
  await page().locator('.log-row[data-seq]').first().waitFor();
}, 60_000);

afterAll(async () => {
  await w?.close();
  temp.cleanup();
});

describe('live tail in the workspace (serve mode, Chromium)', () => {
  it('follows a file while it is written, and the table keeps up', async () => {
    writeFileSync(log, '');
    write(3);
    const base = await engineTotal();
    await follow({ fromStart: true, shot: '50-follow-dialog' });
    await expect.poll(() => bar().textContent()).toContain('following');
    await expect.poll(rowCount).toBe(base + 3);
    for (let i = 0; i < 5; i++) {
      write(4);
      await new Promise((r) => setTimeout(r, 300));
    }
    await expect.poll(rowCount, { timeout: 15_000 }).toBe(base + 23);
    await expect.poll(() => bar().textContent()).toContain('23 events');
    await w.shot('51-live');
  });

  it('pauses the view with an exact count of what arrived, and jumps back to live', async () => {
    const shown = await rowCount();
    await bar().getByRole('button', { name: 'Pause' }).click();
    write(7);
    await expect.poll(() => bar().textContent(), { timeout: 15_000 }).toContain('7 new events');
    expect(await rowCount()).toBe(shown);
    await w.shot('52-paused');
    await bar()
      .getByRole('button', { name: /7 new events/ })
      .click();
    await expect.poll(rowCount).toBe(shown + 7);
    expect(await rowCount()).toBe(await engineTotal());
  });

  it('stops following when the newest rows are scrolled away', async () => {
    const shown = await rowCount();
    await page()
      .locator('.log-body')
      .evaluate((el) => (el.scrollTop = 400));
    write(5);
    await expect.poll(() => bar().textContent(), { timeout: 15_000 }).toContain('5 new events');
    expect(await rowCount()).toBe(shown);
    await bar()
      .getByRole('button', { name: /5 new events/ })
      .click();
    await expect.poll(rowCount).toBe(shown + 5);
  });

  it('notifies of a brute force written to the file, and stops', async () => {
    const start = Date.parse('2025-07-21T15:00:00Z');
    appendFileSync(
      log,
      Array.from({ length: 5 }, (_, i) =>
        // Okta's own shape: a failed sign-in of one user from one IP, five times in a minute.
        JSON.stringify({
          uuid: `live-test-${i}`,
          published: new Date(start + i * 10_000).toISOString(),
          eventType: 'user.session.start',
          displayMessage: 'User login to Okta',
          actor: { id: 'u1', type: 'User', alternateId: 'victim@example.com', displayName: 'Victim' },
          client: { ipAddress: '203.0.113.99', userAgent: { rawUserAgent: 'curl/8' } },
          outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
          target: [],
        }),
      ).join('\n') + '\n',
    );
    const notifications = async () => (await recordedNotifications(page())).map((n) => n.title);
    await expect
      .poll(notifications, { timeout: 15_000 })
      .toContain('High alert: Suspicious IP: repeated failed sign-ins');
    await bar().getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => bar().textContent()).toContain('stopped');
    await w.shot('53-stopped');
    expect(w.pageErrors).toEqual([]);
  });

  it('says, when followed again, that the file it stopped in was rotated out and deleted meanwhile', async () => {
    // While no tail runs: two rotations, the file the tail stopped in (with two lines written
    // after the stop) deleted at the second (logrotate's `rotate 1`). A link elsewhere keeps its
    // inode from going to a new file. (One compressed with gzip is read: see tail-file.test.ts.)
    write(2);
    renameSync(log, `${log}.1`);
    writeFileSync(log, '');
    write(2);
    linkSync(`${log}.1`, temp.file('okta-live-kept'));
    rmSync(`${log}.1`);
    renameSync(log, `${log}.1`);
    writeFileSync(log, '');
    write(3);
    const shown = await rowCount();
    await follow({ fromStart: false });
    await expect.poll(() => bar().textContent()).toContain('no longer beside it');
    // The new file is read all the same; the warning stays while the tail follows.
    await expect.poll(rowCount).toBe(shown + 3);
    write(1);
    await expect.poll(rowCount).toBe(shown + 4);
    expect(await bar().textContent()).toContain('deleted, or compressed other than by gzip');
    await w.shot('54-rotated-while-stopped');
    await bar().getByRole('button', { name: 'Stop' }).click();
    expect(w.pageErrors).toEqual([]);
  });
});
