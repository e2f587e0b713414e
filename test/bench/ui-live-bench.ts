// A PostgreSQL table followed live while the workspace shows it (serve mode, real Chromium on
// Logs): a writer commits LIVE_UI_RATE rows/s (default 20,000) for LIVE_UI_SECONDS (default 30)
// into a throwaway PostgreSQL; the tail stores them in the case as the app does (Follow live).
// Measured: rows recorded per second (over the whole run, drain included; and while the writer
// runs, from how the backlog grows: see `sustained`), commit → row on screen for a marked row
// committed every second (all of them, and those after the tail's 25 s warm-up) (Logs searching
// for the marked rows, so each shows at the top when stored), the page's frame times
// (requestAnimationFrame) and its heap before and after, and this process's CPU per event. JSON out.
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { CaseHost } from '../../electron/engine/cases/case-host.ts';
import { MemorySecrets } from '../../electron/engine/sources/secrets.ts';
import { SourceRegistry } from '../../electron/engine/sources/source-registry.ts';
import { startServer } from '../../electron/server/serve.ts';
import { launchChromium } from '../support/chromium.ts';
import { REPO_ROOT } from '../support/paths.ts';
import { startPostgres } from '../support/postgres.ts';
import { heapMb } from './ui-bench.ts';
import { summarize } from './stats.ts';

/** Probes committed this long after the writer starts measure the steady state (see below). */
const WARM_UP_SECONDS = 25;

export async function benchLiveUi(options: { rate?: number; seconds?: number } = {}) {
  const rate = options.rate ?? Number(process.env.LIVE_UI_RATE ?? 20_000);
  const seconds = options.seconds ?? Number(process.env.LIVE_UI_SECONDS ?? 30);
  const dir = mkdtempSync(path.join(tmpdir(), 'auditscope-live-ui-'));
  const postgres = await startPostgres();
  const browser = await launchChromium();
  try {
    postgres.psql('CREATE DATABASE app');
    postgres.psql(
      `CREATE TABLE live_audit (id bigserial PRIMARY KEY, username text, action text, ip inet,
         created_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
      'app',
    );
    const session = await CaseSession.open(path.join(dir, 'live-ui.auditscope'));
    const cases = new CaseHost(session);
    const sources = new SourceRegistry(undefined, new MemorySecrets({}));
    const target = postgres.target('app');
    const source = sources.save(
      { name: 'app', kind: 'postgres', ...target, tls: 'disable' },
      target.password,
    );
    const server = await startServer({
      cases,
      sources,
      rendererDir: path.join(REPO_ROOT, 'out', 'renderer'),
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(server.url);
    await page.locator('.log-footer').waitFor();
    // Logs shows only the marked rows (the live view applies the search to what arrives): each
    // reaches the top of the table when it is stored, whatever else arrives with it.
    await page.getByLabel('Search', { exact: true }).fill('actor:probe*');
    await page.getByLabel('Search', { exact: true }).press('Enter');
    const heapBefore = await heapMb(page);
    // The page watches for marked rows and records every frame's duration.
    await page.evaluate(() => {
      const state = { frames: [] as number[], seen: {} as Record<string, number> };
      (window as unknown as { liveBench: typeof state }).liveBench = state;
      let last = performance.now();
      const frame = (now: number): void => {
        state.frames.push(now - last);
        last = now;
        for (const row of document.querySelectorAll('.log-row[data-seq]')) {
          const mark = /probe-\d+/.exec(row.textContent ?? '')?.[0];
          if (mark && state.seen[mark] === undefined) state.seen[mark] = Date.now();
        }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    await session.followTable(
      sources.connector(source.id),
      'public.live_audit',
      { time: 'created_at', actor: 'username', action: 'action', ip: 'ip' },
      { fromStart: false, ruleFolders: [] },
    );
    const recorded: { at: number; events: number }[] = [];
    session.onTailStatus((status) => recorded.push({ at: performance.now(), events: status.events }));

    const writer = new pg.Client(target);
    await writer.connect();
    const committed: Record<string, number> = {};
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    let written = 0;
    /** Rows committed and not yet recorded, after each tick of the writer. */
    const lags: { at: number; rows: number }[] = [];
    for (let tick = 0; tick < seconds * 10; tick++) {
      const batch = Math.round(rate / 10);
      const probe = tick % 10 === 0 ? `probe-${tick / 10}` : undefined;
      await writer.query(
        `INSERT INTO live_audit (username, action, ip)
         SELECT CASE WHEN g = $1::int AND $2::text IS NOT NULL THEN $2 ELSE 'user' || (g % 500) END,
                (ARRAY['login','logout','record.view','export'])[1 + g % 4], ('10.0.' || (g % 200) || '.' || (g % 250))::inet
           FROM generate_series(1, $1::int) g`,
        [batch, probe ?? null],
      );
      if (probe) committed[probe] = Date.now();
      written += batch;
      lags.push({ at: (performance.now() - started) / 1000, rows: written - (recorded.at(-1)?.events ?? 0) });
      const due = started + (tick + 1) * 100;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    }
    const writerDone = performance.now();
    const writerSeconds = (writerDone - started) / 1000;
    // Drain: until the tail has stored every row (or 60 s more).
    while ((recorded.at(-1)?.events ?? 0) < written && performance.now() - writerDone < 60_000)
      await new Promise((r) => setTimeout(r, 100));
    const drainedAt = performance.now();
    const cpu = process.cpuUsage(cpuBefore);
    // How far the free-text index is behind when the tail has caught up (it is paced while a
    // tail keeps the writer busy: see writer-worker).
    const fts = await session.ftsStatus();
    await new Promise((r) => setTimeout(r, 2000)); // the last probes reach the screen
    const page_ = (await page.evaluate(
      () =>
        (window as unknown as { liveBench: { frames: number[]; seen: Record<string, number> } }).liveBench,
    )) as { frames: number[]; seen: Record<string, number> };
    const heapAfter = await heapMb(page);
    await writer.end();
    const stored = recorded.at(-1)?.events ?? 0;
    const latencies = Object.entries(committed).map(([probe, at]) => (page_.seen[probe] ?? Number.NaN) - at);
    // The tail reads its whole overlap (10 s) until it has followed for twice that; then it
    // polls by key every 150 ms (see KeyGaps): the steady state is the probes after that.
    const steady = Object.entries(committed)
      .filter(([probe]) => Number(probe.slice('probe-'.length)) >= WARM_UP_SECONDS)
      .map(([probe, at]) => (page_.seen[probe] ?? Number.NaN) - at);
    const frames = page_.frames.slice(1);
    await server.close();
    sources.closeBrowsing();
    await cases.close();
    return {
      rate,
      seconds,
      written,
      stored,
      writerSeconds: Math.round(writerSeconds * 10) / 10,
      recordedEventsPerSecond: Math.round(stored / ((drainedAt - started) / 1000)),
      drainAfterWriterStopsMs: Math.round(drainedAt - writerDone),
      ...sustained(lags, rate, seconds),
      // All of this process's threads (the engine's, and this bench's writer and browser driver):
      // what a change to the engine's work per event shows in, where the rates are noisy.
      engineCpuMicrosPerEvent: Math.round((cpu.user + cpu.system) / Math.max(1, stored)),
      freeTextIndexBehindAtDrain: fts.lastRowid - fts.indexedThrough,
      commitToScreenMs: summarize(latencies.filter((x) => !Number.isNaN(x))),
      commitToScreenAfterWarmUpMs: summarize(steady.filter((x) => !Number.isNaN(x))),
      probesNeverSeen: latencies.filter((x) => Number.isNaN(x)).length,
      frameMs: summarize(frames),
      framesOver50Ms: frames.filter((f) => f > 50).length,
      rendererHeapMb: { before: heapBefore, after: heapAfter },
    };
  } finally {
    await browser.close();
    postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Whether the tail keeps up, from its backlog (rows committed, not yet recorded) while the writer
 * runs: the mean backlog over 10 s after the warm-up and over the last 10 s. A backlog that does
 * not grow is a tail recording the whole offered rate; one growing by g rows/s records rate − g.
 * (The recorded rate over the whole run counts the drain too: the last polls' latency.)
 */
function sustained(lags: { at: number; rows: number }[], rate: number, seconds: number) {
  const mean = (from: number, to: number): number => {
    const within = lags.filter((l) => l.at > from && l.at <= to);
    return within.reduce((sum, l) => sum + l.rows, 0) / Math.max(1, within.length);
  };
  const early = Math.max(0, Math.min(WARM_UP_SECONDS, seconds - 20));
  const first = mean(early, early + 10);
  const last = mean(seconds - 10, seconds);
  const growth = (last - first) / Math.max(1, seconds - 10 - early);
  return {
    backlogRows: { afterWarmUp: Math.round(first), last10s: Math.round(last) },
    sustainedEventsPerSecond: Math.round(rate - growth),
  };
}

if (import.meta.main) {
  const result = await benchLiveUi();
  console.log(JSON.stringify(result, null, 2));
}
