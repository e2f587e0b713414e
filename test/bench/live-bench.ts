// Live tail with detections at a sustained rate: a writer appends CloudTrail-shaped events to a
// log file at LIVE_RATE events/s (default 10,000) for LIVE_SECONDS (default 30); a tail stores
// them in a case and, after every stored batch, every rule runs over the new events — the built-in
// rules, Auditscope's bundled rules and the 137 SigmaHQ rules of ../shared/sigma — as in the app.
// Measures how far behind the writer the store and the rules are (latency from a line written to
// it stored, and to it checked by every rule), and whether the backlog stays bounded. Prints JSON.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync, createReadStream, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { FileTail } from '../../electron/engine/tail/tail-file.ts';
import { REPO_ROOT, SIGMA_RULES } from '../support/paths.ts';
import { generateCloudTrail } from './generate-cloudtrail.ts';
import { summarize } from './stats.ts';

export async function benchLive(options: { rate?: number; seconds?: number; input?: string } = {}) {
  const rate = options.rate ?? Number(process.env.LIVE_RATE ?? 10_000);
  const seconds = options.seconds ?? Number(process.env.LIVE_SECONDS ?? 30);
  const total = rate * seconds;
  const dir = mkdtempSync(path.join(tmpdir(), 'auditscope-live-'));
  const input = options.input ?? path.join(dir, 'input.ndjson');
  if (!existsSync(input)) await generateCloudTrail(input, { events: total, seed: 7 });
  const lines = createInterface({ input: createReadStream(input), crlfDelay: Infinity })[
    Symbol.asyncIterator
  ]();

  const log = path.join(dir, 'cloudtrail.log');
  writeFileSync(log, '');
  const session = await CaseSession.open(path.join(dir, 'live.auditscope'));
  await session.watchAlerts([path.join(REPO_ROOT, 'resources', 'rules'), SIGMA_RULES]);
  const tail = await FileTail.start(session, log, { pollMs: 100 });

  // Writer: a tenth of the second's events every 100 ms, on the clock (catching up if late).
  const written: { at: number; lines: number }[] = [];
  const stored: { at: number; lines: number }[] = [];
  const checked: { at: number; lines: number }[] = [];
  let processed = 0;
  let checking = Promise.resolve();
  tail.onUpdate((status, batch) => {
    if (!batch) return;
    processed = status.events + status.duplicates + status.rejected;
    const now = performance.now();
    stored.push({ at: now, lines: processed });
    const upTo = processed;
    checking = checking.then(async () => {
      await session.raiseNewAlerts();
      checked.push({ at: performance.now(), lines: upTo });
    });
  });
  const started = performance.now();
  const tick = rate / 10;
  let sent = 0;
  const backlog: number[] = [];
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 100 + 1) * tick));
    let chunk = '';
    while (sent < due) {
      const next = await lines.next();
      if (next.done) break;
      chunk += `${next.value}\n`;
      sent++;
    }
    appendFileSync(log, chunk);
    written.push({ at: performance.now(), lines: sent });
    backlog.push(sent - processed);
    await new Promise((r) => setTimeout(r, Math.max(0, started + written.length * 100 - performance.now())));
  }
  const writerDone = performance.now();
  while (processed < total) await new Promise((r) => setTimeout(r, 20));
  await checking;
  const drained = performance.now();
  const status = await tail.stop();
  await session.close();
  rmSync(dir, { recursive: true, force: true });

  /** For every write, how long until the store (or the rules) had all of it. */
  const latency = (done: { at: number; lines: number }[]): number[] =>
    written.map((w) => (done.find((d) => d.lines >= w.lines)?.at ?? Number.NaN) - w.at);
  return {
    rate,
    seconds,
    events: total,
    stored: status.events,
    duplicates: status.duplicates,
    rejected: status.rejected,
    achievedEventsPerSecond: Math.round(total / ((drained - started) / 1000)),
    writeToStoredMs: summarize(latency(stored)),
    writeToCheckedByEveryRuleMs: summarize(latency(checked)),
    backlogEvents: summarize(backlog),
    // Falling behind shows as a backlog that grows: compare the first third of the run with the last.
    backlogFirstThirdEvents: summarize(backlog.slice(0, Math.floor(backlog.length / 3))),
    backlogLastThirdEvents: summarize(backlog.slice(Math.ceil((backlog.length * 2) / 3))),
    drainAfterWriterStopsMs: Math.round(drained - writerDone),
    batches: stored.length,
  };
}

if (import.meta.main) {
  const result = await benchLive();
  console.log(JSON.stringify(result, null, 2));
}
