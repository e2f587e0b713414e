// Which case the desktop app opens on, including after it was killed with a case open mid-import,
// and that closing the case leaves no write-ahead log behind.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCloudTrail } from '../../../test/bench/generate-cloudtrail.ts';
import { REPO_ROOT } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { committedEvents } from '../../../test/support/committed-events.ts';
import { CaseSession } from '../case-session.ts';
import { CaseHost } from './case-host.ts';
import { openStartupCase } from './startup-case.ts';

const temp = tempDir();
afterAll(() => temp.cleanup());

async function makeCase(name: string): Promise<string> {
  const file = temp.file(name);
  await (await CaseSession.open(file)).close();
  return file;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the case the app starts on', () => {
  const demoOpened: string[] = [];
  const openDemo = async () => {
    demoOpened.push('demo');
    return CaseSession.open(temp.file('demo.auditscope'));
  };

  it('is the case the launch names, else the last one, else the demo', async () => {
    const named = await makeCase('named.auditscope');
    const last = await makeCase('last.auditscope');
    let started = await openStartupCase({ requested: named, recent: [last], openDemo });
    expect([started.session.path, started.problems]).toEqual([named, []]);
    await started.session.close();

    started = await openStartupCase({ recent: [last, named], openDemo });
    expect([started.session.path, started.problems]).toEqual([last, []]);
    await started.session.close();

    // The last case moved away since: the demo, and nothing to complain about.
    started = await openStartupCase({ recent: [temp.file('moved.auditscope')], openDemo });
    expect([path.basename(started.session.path), started.problems]).toEqual(['demo.auditscope', []]);
    await started.session.close();
  });

  it('reports a named file it cannot open, leaves it untouched and never creates one', async () => {
    const last = await makeCase('fallback.auditscope');
    const foreign = temp.file('foreign.db');
    const db = new Database(foreign);
    db.exec('CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES (1)');
    db.close();
    const before = sha256(foreign);
    const missing = temp.file('typo.auditscope');

    let started = await openStartupCase({ requested: foreign, recent: [last], openDemo });
    expect(started.session.path).toBe(last);
    expect(started.problems).toEqual([expect.stringMatching(/foreign\.db: .*not an Auditscope case file/)]);
    expect(sha256(foreign)).toBe(before);
    await started.session.close();

    started = await openStartupCase({ requested: missing, recent: [], openDemo });
    expect(started.problems).toEqual([`Could not open ${missing}: no case file at ${missing}`]);
    expect(existsSync(missing)).toBe(false);
    await started.session.close();
  });

  it('reopens the case the app was killed in, mid-import, consistent; a clean close leaves no WAL', async () => {
    const input = temp.file('cloudtrail.ndjson');
    await generateCloudTrail(input, { events: 100_000, seed: 11 });
    const crashed = temp.file('crashed.auditscope');
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'electron/cli/bin.js'), 'import', input, '--case', crashed, '--skip-fts'],
      { stdio: 'ignore', env: { ...process.env, AUDITSCOPE_FROM_SOURCE: '1' } },
    );
    // Killed once some batches are committed, well before the end.
    const deadline = Date.now() + 60_000;
    while (committedEvents(crashed) < 5_000 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(existsSync(`${crashed}-wal`)).toBe(true);

    const started = await openStartupCase({
      recent: [crashed],
      openDemo: () => Promise.reject(new Error('no demo')),
    });
    expect(started).toMatchObject({ problems: [] });
    expect(started.session.path).toBe(crashed);
    const events = (await started.session.read.stats()).events;
    expect(events).toBeGreaterThanOrEqual(5_000);
    expect(events).toBeLessThan(100_000);

    await new CaseHost(started.session).close();
    expect([existsSync(`${crashed}-wal`), existsSync(`${crashed}-shm`)]).toEqual([false, false]);
    const check = new Database(crashed, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(check.prepare('SELECT count(*) FROM events').pluck().get()).toBe(events);
    check.close();
  }, 120_000);
});
