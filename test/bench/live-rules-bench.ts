// The rules a long tail runs, in memory: sign-ins (Okta-shaped, 20 a second of event time, 500
// accounts from 1,000 IPs, one in three failed, so every one is a hit of some built-in rule) are
// imported LIVE_RULES_EVENTS at a time (default 1.2M in chunks of 50,000), and after each chunk
// every rule (built-in, bundled, 137 SigmaHQ) looks at the new events, as after a tail's batch.
// Reports the engine's heap after a full GC at each look (what the rules keep, with everything
// else the process holds), what the rules keep in hits, and how long each look took. Prints JSON.
// Run with `node --expose-gc` (npm run bench:live-rules does).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { openCaseForReading } from '../../electron/engine/store/case-db.ts';
import { LiveAlerts } from '../../electron/engine/detect/live-alerts.ts';
import { caseAlertRules } from '../../electron/engine/detect/evaluate-alerts.ts';
import { loadRuleFolder } from '../../electron/engine/detect/run-rules.ts';
import { REPO_ROOT, SIGMA_RULES } from '../support/paths.ts';
import { summarize } from './stats.ts';

const START = Date.UTC(2026, 9, 1);

function signIn(n: number): string {
  const failed = n % 3 === 0;
  return JSON.stringify({
    uuid: `bench-${n}`,
    published: new Date(START + n * 50).toISOString(),
    eventType: 'user.session.start',
    displayMessage: 'User login to Okta',
    actor: { id: `u${n % 500}`, type: 'User', alternateId: `user${n % 500}@example.com` },
    client: { ipAddress: `203.0.${(n >> 8) % 4}.${n % 250}` },
    outcome: { result: failed ? 'FAILURE' : 'SUCCESS', reason: failed ? 'INVALID_CREDENTIALS' : null },
  });
}

export async function benchLiveRules(options: { events?: number; chunk?: number } = {}) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc: the heap is measured after a full collection');
  const events = options.events ?? Number(process.env.LIVE_RULES_EVENTS ?? 1_200_000);
  const chunk = options.chunk ?? 50_000;
  const dir = mkdtempSync(path.join(tmpdir(), 'auditscope-live-rules-'));
  const bundled = await loadRuleFolder(path.join(REPO_ROOT, 'resources', 'rules'));
  const sigma = await loadRuleFolder(SIGMA_RULES);
  const loaded = {
    rules: [...bundled.rules, ...sigma.rules],
    alertRules: bundled.alertRules,
    unsupported: [],
  };
  const session = await CaseSession.open(path.join(dir, 'live.auditscope'));
  const db = openCaseForReading(session.path);
  const live = new LiveAlerts(caseAlertRules(db, loaded), loaded, 0);
  const looks: { events: number; ms: number; heapMB: number; keptHits: number; notices: number }[] = [];
  for (let at = 0; at < events; at += chunk) {
    const file = path.join(dir, 'chunk.json');
    const n = Math.min(chunk, events - at);
    writeFileSync(file, Array.from({ length: n }, (_, i) => signIn(at + i)).join('\n'));
    await session.import([file]);
    const started = performance.now();
    const notices = live.newAlerts(db).length;
    const ms = performance.now() - started;
    gc();
    looks.push({
      events: at + n,
      ms: Math.round(ms),
      heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
      keptHits: live.kept(),
      notices,
    });
  }
  db.close();
  await session.close();
  rmSync(dir, { recursive: true, force: true });
  const heap = looks.map((l) => l.heapMB);
  const half = Math.floor(looks.length / 2);
  return {
    events,
    chunk,
    lookMs: summarize(looks.map((l) => l.ms)),
    rebuilds: live.rebuilds,
    // What the rules keep grows with their windows, not with the run: the spraying rule's 24 hours
    // are not full by 1.2M events (17 hours), and every IP here fails as two accounts only, so
    // their failures (16 bytes each) still add up; the rest stays flat.
    heapMB: {
      first: heap[0],
      maxFirstHalf: Math.max(...heap.slice(0, half)),
      maxSecondHalf: Math.max(...heap.slice(half)),
      last: heap.at(-1),
    },
    looks,
  };
}

if (import.meta.main) {
  const result = await benchLiveRules();
  console.log(JSON.stringify(result, null, 2));
}
