// The desktop app's main path through Electron itself: it runs wherever the Electron binary is
// installed and says why it is skipped where it is not (this project's CI machine has none).
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { electronBinary } from '../support/electron-binary.ts';
import { REPO_ROOT, dataset } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';

const binary = electronBinary();
if ('missing' in binary) console.warn(`Electron end-to-end test skipped: ${binary.missing}`);

describe.skipIf('missing' in binary)('the desktop app (Electron)', () => {
  const temp = tempDir();
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    const casePath = temp.file('desktop.auditscope');
    const session = await CaseSession.open(casePath);
    await session.import([dataset('okta-system-log')]);
    await session.close();
    app = await _electron.launch({
      executablePath: (binary as { path: string }).path,
      args: [path.join(REPO_ROOT, 'out', 'main', 'index.js'), casePath],
      cwd: REPO_ROOT,
    });
    page = await app.firstWindow();
  });

  afterAll(async () => {
    await app?.close();
    temp.cleanup();
  });

  it('shows the case in the workspace, then filters and opens details', async () => {
    await page.locator('.log-row[data-seq]').first().waitFor();
    await expect(page.locator('.log-footer').textContent()).resolves.toMatch(/(^|\D)50 events/);
    await page.getByLabel('Search').fill('outcome:failure');
    await page.getByLabel('Search').press('Enter');
    await expect.poll(() => page.locator('.log-footer').textContent()).not.toMatch(/(^|\D)50 events/);
    await page.locator('.log-row[data-seq]').first().click();
    await page.getByLabel('Event details').locator('.raw').waitFor();
  });

  it('gives the page no Node, no Electron objects, only window.auditscope', async () => {
    const exposed = await page.evaluate(() => ({
      require: typeof (window as { require?: unknown }).require,
      process: typeof (window as { process?: unknown }).process,
      ipcRenderer: typeof (window as { ipcRenderer?: unknown }).ipcRenderer,
      bridge: Object.keys((window as { auditscope?: object }).auditscope ?? {}).includes('on'),
    }));
    expect(exposed).toEqual({
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
      bridge: true,
    });
  });

  it('opens no new windows and does not navigate away', async () => {
    const opened = await page.evaluate(() => window.open('https://example.com') === null);
    expect(opened).toBe(true);
    const before = page.url();
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    // A data: URL needs no network, so a navigation that was allowed would surely complete.
    await page.evaluate(() => {
      window.location.href = 'data:text/html,<p>away</p>';
    });
    await page.waitForTimeout(500);
    expect(navigations).toEqual([]);
    expect(page.url()).toBe(before);
    expect(app.windows()).toHaveLength(1);
  });
});
