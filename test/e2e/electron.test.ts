// The desktop app's main path through Electron itself: it runs wherever the Electron binary is
// installed and says why it is skipped where it is not (this project's CI machine has none).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { electronBinary } from '../support/electron-binary.ts';
import { REPO_ROOT, dataset } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';
import { probeCsp } from './csp-probe.ts';

const binary = electronBinary();
if ('missing' in binary) console.warn(`Electron end-to-end test skipped: ${binary.missing}`);

describe.skipIf('missing' in binary)('the desktop app (Electron)', () => {
  const temp = tempDir();
  const userData = temp.file('profile');
  const casePath = temp.file('desktop.auditscope');
  let app: ElectronApplication;
  let page: Page;

  const launch = async (args: string[]): Promise<void> => {
    app = await _electron.launch({
      executablePath: (binary as { path: string }).path,
      // The app folder, as `npm start` runs it: package.json's main, resources/ beside it.
      args: [REPO_ROOT, ...args],
      cwd: REPO_ROOT,
      env: { ...process.env, AUDITSCOPE_USER_DATA: userData },
    });
    page = await app.firstWindow();
    await page.locator('.log-row[data-seq]').first().waitFor();
  };

  const footer = () => page.locator('.log-footer').textContent();

  beforeAll(async () => {
    const session = await CaseSession.open(casePath);
    await session.import([dataset('okta-system-log')]);
    await session.close();
    await launch([casePath]);
  });

  afterAll(async () => {
    await app?.close();
    temp.cleanup();
  });

  it('shows the case named on the command line, then filters and opens details', async () => {
    await expect(footer()).resolves.toMatch(/(^|\D)50 events/);
    await page.getByLabel('Search').fill('outcome:failure');
    await page.getByLabel('Search').press('Enter');
    await expect.poll(footer).not.toMatch(/(^|\D)50 events/);
    await page.locator('.log-row[data-seq]').first().click();
    await page.getByLabel('Event details').locator('.raw').waitFor();
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Search').press('Enter');
  });

  it('imports a dataset folder from the File menu through the native dialog', async () => {
    const input = dataset('github-audit');
    // The OS dialog answers with the dataset, as the analyst would pick it.
    await app.evaluate(({ dialog }, file) => {
      dialog.showOpenDialog = (async () => ({
        canceled: false,
        filePaths: [file],
      })) as typeof dialog.showOpenDialog;
    }, input);
    await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('import.folder')?.click());
    await expect.poll(footer, { timeout: 30_000 }).not.toMatch(/(^|\D)50 events/);
    await expect.poll(() => page.locator('.import-panel').textContent()).toContain(path.basename(input));
  });

  it('opens Connect… and Export… from the File menu', async () => {
    for (const [id, dialog] of [
      ['sources.open', 'Database sources'],
      ['export.open', 'Export events'],
    ] as const) {
      await app.evaluate(({ Menu }, item) => Menu.getApplicationMenu()?.getMenuItemById(item)?.click(), id);
      await page.getByRole('dialog', { name: dialog }).waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('dialog', { name: dialog }).count()).toBe(0);
    }
  });

  it('serves the page from app:// under a strict CSP that blocks injected script', async () => {
    expect(page.url()).toBe('app://auditscope/index.html');
    const outcome = await probeCsp(page);
    expect(outcome).toEqual({ ran: undefined, violations: ['frame-src', 'script-src-elem'] });
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
    // The link goes to the one vetted openExternal, which asks first: the analyst says no here.
    await app.evaluate(({ dialog }) => {
      const asked: string[] = [];
      (globalThis as { asked?: string[] }).asked = asked;
      dialog.showMessageBox = (async (...args: unknown[]) => {
        asked.push(String((args.at(-1) as { detail?: string }).detail));
        return { response: 1, checkboxChecked: false };
      }) as typeof dialog.showMessageBox;
    });
    const opened = await page.evaluate(() => window.open('https://example.com/x') === null);
    expect(opened).toBe(true);
    await expect
      .poll(() => app.evaluate(() => (globalThis as { asked?: string[] }).asked))
      .toEqual(['https://example.com/x']);
    const before = page.url();
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    // Chromium itself would refuse a top-level data: URL; these only our handlers stop.
    for (const target of ['https://example.com/', 'app://auditscope/elsewhere.html']) {
      await page.evaluate((url) => {
        window.location.href = url;
      }, target);
      await page.waitForTimeout(500);
    }
    expect(navigations).toEqual([]);
    expect(page.url()).toBe(before);
    expect(app.windows()).toHaveLength(1);
  });

  it('quits cleanly (no WAL left), remembers the window, and reopens the last case', async () => {
    await app.close();
    expect(existsSync(`${casePath}-wal`)).toBe(false);
    const state = JSON.parse(readFileSync(path.join(userData, 'window-state.json'), 'utf8')) as unknown;
    expect(state).toMatchObject({ bounds: { width: expect.any(Number) }, maximized: false });
    await launch([]);
    await expect.poll(() => page.locator('.case-button').textContent()).toContain('desktop');
  });
});
