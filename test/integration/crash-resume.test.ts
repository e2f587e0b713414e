// Killing the process mid-import leaves a consistent case (integrity_check ok, whole batches only),
// and running the same import again completes it with an exact duplicate count.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCloudTrail } from '../bench/generate-cloudtrail.ts';
import { batchSize } from '../../electron/engine/ingest/import-file.ts';
import { REPO_ROOT } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';
import { committedEvents } from '../support/committed-events.ts';

const BIN = path.join(REPO_ROOT, 'electron/cli/bin.js');
const EVENTS = 100_000;

/** Event counts at which a batch ends: a sound case holds one of these, never a half batch. */
function batchBoundaries(total: number): Set<number> {
  const boundaries = new Set<number>([0]);
  for (let index = 0, sum = 0; sum < total; index++)
    boundaries.add((sum = Math.min(total, sum + batchSize(index))));
  return boundaries;
}

describe('a killed import', () => {
  const temp = tempDir();
  const input = temp.file('cloudtrail.ndjson');
  const casePath = temp.file('crash.auditscope');
  beforeAll(async () => {
    await generateCloudTrail(input, { events: EVENTS, seed: 3 });
  });
  afterAll(() => temp.cleanup());

  it('leaves whole batches and a sound file, and a re-run completes it exactly', async () => {
    // The code as it is, not a possibly stale build (the built bundle has its own test in cli.test.ts).
    const env = { ...process.env, AUDITSCOPE_FROM_SOURCE: '1' };
    const child = spawn(process.execPath, [BIN, 'import', input, '--case', casePath, '--skip-fts'], {
      stdio: 'ignore',
      env,
    });
    // Kill once a few batches are committed, well before the end.
    const deadline = Date.now() + 60_000;
    while (committedEvents(casePath) < 10_000 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const survived = committedEvents(casePath);
    expect(survived).toBeGreaterThanOrEqual(10_000);
    expect(survived).toBeLessThan(EVENTS);
    expect(batchBoundaries(EVENTS).has(survived)).toBe(true);

    const db = new Database(casePath);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare(`SELECT status FROM imports`).pluck().get()).toBe('running');
    db.close();

    // An independent SQLite build agrees the file is sound.
    const sqlite3 = spawnSync('sqlite3', [casePath, 'PRAGMA integrity_check;'], { encoding: 'utf8' });
    if (sqlite3.error)
      throw new Error('the sqlite3 command is needed for this test (apt-get install sqlite3)');
    expect(sqlite3.stdout.trim()).toBe('ok');

    const rerun = spawnSync(
      process.execPath,
      [BIN, 'import', input, '--case', casePath, '--json', '--skip-fts'],
      { encoding: 'utf8', timeout: 120_000, env },
    );
    expect(rerun.status, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout);
    expect(summary.totals.duplicates).toBe(survived);
    expect(summary.totals.accepted).toBe(EVENTS - survived);
    expect(committedEvents(casePath)).toBe(EVENTS);

    const after = new Database(casePath, { readonly: true });
    expect(after.prepare(`SELECT status FROM imports ORDER BY id`).pluck().all()).toEqual([
      'interrupted',
      'complete',
    ]);
    expect(after.prepare('SELECT count(DISTINCT event_id) FROM events').pluck().get()).toBe(EVENTS);
    after.close();
  });
});
