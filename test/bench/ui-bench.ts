// The workspace in real Chromium on a 1M-event case, through serve mode: how fast rows paint after
// a jump, whether steady scrolling drops frames, how long a filter takes to apply, and how much
// heap the renderer holds after a stretch of scrolling and filtering.
import type { Page } from 'playwright-core';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { CaseHost } from '../../electron/engine/cases/case-host.ts';
import { startServer } from '../../electron/server/serve.ts';
import { launchChromium } from '../support/chromium.ts';
import { REPO_ROOT } from '../support/paths.ts';
import { summarize } from './stats.ts';
import path from 'node:path';

const ROW_HEIGHT = 26;

export interface UiBenchOptions {
  jumps?: number;
  scrollSeconds?: number;
  /** The soak before the heap reading: the figure is 600 s; shorter runs say so. */
  soakSeconds?: number;
}

/**
 * Scrolls the table to a position and resolves with the ms until that row is painted with data
 * (NaN if it never is within 30 s, which the summary would show).
 */
async function jumpToRow(page: Page, position: number): Promise<number> {
  return page.evaluate(
    ({ position, rowHeight }) =>
      new Promise<number>((resolve) => {
        const body = document.querySelector('.log-body') as HTMLElement;
        const start = performance.now();
        body.scrollTop = position * rowHeight;
        const check = (): void => {
          const row = document.querySelector(`.log-row[aria-rowindex="${position + 1}"]`);
          if (row?.hasAttribute('data-seq')) resolve(performance.now() - start);
          else if (performance.now() - start > 30_000) resolve(Number.NaN);
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    { position, rowHeight: ROW_HEIGHT },
  );
}

async function resultRows(page: Page): Promise<number> {
  return Number(await page.locator('.log-table').getAttribute('aria-rowcount'));
}

function progress(text: string): void {
  process.stderr.write(`ui bench: ${text}\n`);
}

/** Scrolls at a steady speed for `seconds`, recording every frame's duration and blank rows seen. */
async function steadyScroll(page: Page, seconds: number, pixelsPerSecond: number) {
  return page.evaluate(
    ({ seconds, pixelsPerSecond }) =>
      new Promise<{ frames: number[]; blankRowFrames: number }>((resolve) => {
        const body = document.querySelector('.log-body') as HTMLElement;
        const frames: number[] = [];
        let blankRowFrames = 0;
        const start = performance.now();
        let last = start;
        const step = (now: number): void => {
          const frame = now - last;
          frames.push(frame);
          last = now;
          body.scrollTop += (pixelsPerSecond * frame) / 1000;
          // Only rows on screen count: the overscan above and below may wait for their page.
          const view = body.getBoundingClientRect();
          const blank = [...document.querySelectorAll('.log-row.pending')].some((row) => {
            const box = row.getBoundingClientRect();
            return box.bottom > view.top && box.top < view.bottom;
          });
          if (blank) blankRowFrames++;
          if (now - start < seconds * 1000) requestAnimationFrame(step);
          else resolve({ frames: frames.slice(1), blankRowFrames });
        };
        requestAnimationFrame(step);
      }),
    { seconds, pixelsPerSecond },
  );
}

/**
 * Applies a search and resolves with the ms until the table shows the new result (a new result
 * handle) with its first rows painted, or says no events match.
 */
async function applyFilter(page: Page, text: string): Promise<number> {
  const before = await page.locator('.log-table').getAttribute('data-result');
  const box = page.getByLabel('Search');
  await box.fill(text);
  const start = Date.now();
  await box.press('Enter');
  await page.waitForFunction(
    (previous) => {
      const table = document.querySelector('.log-table');
      if (!table || table.getAttribute('data-result') === previous) return false;
      return (
        table.getAttribute('aria-rowcount') === '0' || document.querySelector('.log-row[data-seq]') !== null
      );
    },
    before,
    { polling: 'raf', timeout: 120_000 },
  );
  return Date.now() - start;
}

export async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return Math.round((usedSize / 1e6) * 10) / 10;
}

export async function benchUi(casePath: string, options: UiBenchOptions = {}) {
  const jumps = options.jumps ?? 20;
  const scrollSeconds = options.scrollSeconds ?? 10;
  const soakSeconds = options.soakSeconds ?? 60;
  const session = await CaseSession.open(casePath, { readOnly: true });
  const cases = new CaseHost(session);
  const server = await startServer({ cases, rendererDir: path.join(REPO_ROOT, 'out', 'renderer') });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(server.url);
    await page.locator('.log-row[data-seq]').first().waitFor({ timeout: 60_000 });
    // Let the opening histogram and breakdown finish: the jumps measure the table alone.
    await page.locator('.breakdown-list li').first().waitFor({ timeout: 60_000 });
    const total = await resultRows(page);
    progress(`${total} rows shown; ${jumps} jumps`);

    // Jumps to fresh random positions (seeded), each to a row never seen before.
    let seed = 42;
    const jumpMs: number[] = [];
    for (let i = 0; i < jumps; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      jumpMs.push(await jumpToRow(page, seed % (total - 40)));
    }

    await jumpToRow(page, 0);
    progress(`steady scroll for ${scrollSeconds} s`);
    const scroll = await steadyScroll(page, scrollSeconds, 2000);
    progress('filters');

    const filterMs: number[] = [];
    const filters: Record<string, number> = {};
    for (const text of ['outcome:failure', 'action:s3:GetObject', 'actor:alice*', '"AccessDenied"', '']) {
      const ms = await applyFilter(page, text);
      filterMs.push(ms);
      filters[text === '' ? '(none)' : text] = ms;
    }

    // Soak: alternate scrolling and filtering, then read the heap after a forced collection.
    progress(`soak for ${soakSeconds} s`);
    const soakEnd = Date.now() + soakSeconds * 1000;
    const searches = ['outcome:failure', '', 'action:iam:*', 'ip:10.0.0.0/8', ''];
    let soakFilterFailures = 0;
    for (let i = 0; Date.now() < soakEnd; i++) {
      await steadyScroll(page, 2, 4000);
      const shown = await resultRows(page);
      if (shown > 40) await jumpToRow(page, (i * 104729) % (shown - 40));
      // A filter that never shows its result is counted, and the soak goes on.
      await applyFilter(page, searches[i % searches.length] as string).catch(() => soakFilterFailures++);
    }
    const heap = await heapMb(page);

    const frames = scroll.frames;
    return {
      rows: total,
      jumpToRowsPaintedMs: summarize(jumpMs),
      scroll: {
        seconds: scrollSeconds,
        pixelsPerSecond: 2000,
        frames: frames.length,
        framesOver50Ms: frames.filter((f) => f > 50).length,
        framesOver33Ms: frames.filter((f) => f > 33.4).length,
        worstFrameMs: Math.round(Math.max(...frames) * 10) / 10,
        frameMs: summarize(frames),
        framesWithBlankRows: scroll.blankRowFrames,
      },
      filterAppliedMs: summarize(filterMs),
      filters,
      rendererHeapMbAfterSoak: heap,
      soakSeconds,
      soakFilterFailures,
    };
  } finally {
    await browser.close();
    await server.close();
    await cases.close();
  }
}
