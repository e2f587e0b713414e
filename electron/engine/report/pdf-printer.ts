import { existsSync } from 'node:fs';

/** Prints a self-contained HTML document to PDF bytes. */
export type PdfPrinter = (html: string) => Promise<Uint8Array>;

/** Where a Chromium-family browser usually is, per platform (the CLI and serve mode print with it). */
const KNOWN_BROWSERS: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/snap/bin/chromium',
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  ],
};

/** The browser to print with: AUDITSCOPE_CHROMIUM, then CHROMIUM_PATH, then the usual places. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.AUDITSCOPE_CHROMIUM ?? env.CHROMIUM_PATH;
  if (named !== undefined) {
    if (!existsSync(named)) throw new Error(`no browser at ${named} (AUDITSCOPE_CHROMIUM / CHROMIUM_PATH)`);
    return named;
  }
  const found = (KNOWN_BROWSERS[process.platform] ?? []).find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(
      'a PDF report needs Chromium, Chrome or Edge, and none was found: install one, or set ' +
        'AUDITSCOPE_CHROMIUM to its executable (the HTML report needs nothing)',
    );
  }
  return found;
}

/**
 * Prints with a Chromium-family browser outside the app (CLI, serve mode), through playwright-core
 * (no browser download). Scripts are off and the page is offline: the report is printed as the
 * markup says, and nothing in it can run or fetch.
 */
export const chromiumPdfPrinter: PdfPrinter = async (html) => {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: findBrowser(),
    // Chromium's sandbox cannot start as root (CI containers); elsewhere it stays on.
    chromiumSandbox: process.getuid?.() !== 0,
    args: [
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
};
