import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { CaseHost } from '../../electron/engine/cases/case-host.ts';
import { startServer, type RunningServer } from '../../electron/server/serve.ts';
import { launchChromium } from './chromium.ts';
import { REPO_ROOT } from './paths.ts';

export const RENDERER = path.join(REPO_ROOT, 'out', 'renderer');
export const SHOTS = path.join(REPO_ROOT, 'test', 'output', 'screenshots');

export interface ServedWorkspace {
  session: CaseSession;
  cases: CaseHost;
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Errors the page logged or threw: a test ends by expecting none. */
  pageErrors: string[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A case built from `inputs`, served by the real engine in serve mode, and a Chromium page on it:
 * what the end-to-end tests of the workspace run against.
 */
export async function serveWorkspace(casePath: string, inputs: string[]): Promise<ServedWorkspace> {
  if (!existsSync(path.join(RENDERER, 'index.html')))
    throw new Error('no built UI in out/renderer: run npm run build');
  mkdirSync(SHOTS, { recursive: true });
  const session = await CaseSession.open(casePath);
  await session.import(inputs);
  await session.buildFreeTextIndex();
  const cases = new CaseHost(session);
  const server = await startServer({
    cases,
    rendererDir: RENDERER,
    ruleFolders: [path.join(REPO_ROOT, 'resources', 'rules')],
  });
  const browser = await launchChromium();
  const page = await browser.newPage({
    viewport: { width: 1600, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
    acceptDownloads: true,
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return {
    session,
    cases,
    server,
    browser,
    page,
    pageErrors,
    shot: async (name) => {
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    },
    close: async () => {
      await browser.close();
      await server.close();
      await cases.close();
    },
  };
}
