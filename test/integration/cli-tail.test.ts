// `auditscope tail`: a real process following a real file while lines are appended, printing
// events as they arrive, reporting the alerts they raise, stopping cleanly on Ctrl-C (SIGINT) and
// resuming later from where it stopped, and warning when the file it stopped in was rotated out
// and deleted meanwhile.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataset, REPO_ROOT } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';

const BIN = path.join(REPO_ROOT, 'electron/cli/bin.js');
const temp = tempDir();
afterAll(() => temp.cleanup());

interface Running {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

function start(...args: string[]): Running {
  const child = spawn(process.execPath, [BIN, 'tail', ...args], {
    env: { ...process.env, AUDITSCOPE_FROM_SOURCE: '1' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { child, out: () => out, err: () => err, exit: new Promise((resolve) => child.on('exit', resolve)) };
}

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

describe('auditscope tail', () => {
  it('prints appended events, reports the alerts they raise, stops on SIGINT and resumes', async () => {
    const log = temp.file('signins.ndjson');
    const casePath = temp.file('tail.auditscope');
    const okta = lines(
      readFileSync(dataset('okta-system-log', 'cribl-okta-rest', 'okta_system_log.part1.ndjson'), 'utf8'),
    );
    writeFileSync(log, `${okta.slice(0, 5).join('\n')}\n`);
    const first = start('--file', log, '--case', casePath, '--from-start', '--alerts', '--format', 'ndjson');
    await until(() => lines(first.out()).length === 5, 'the first five events');
    appendFileSync(log, `${okta.slice(5, 12).join('\n')}\n`);
    await until(() => lines(first.out()).length === 12, 'the appended events');
    const printed = lines(first.out()).map((l) => JSON.parse(l) as { source: string; raw: string });
    expect(printed.every((e) => e.source === 'okta')).toBe(true);
    expect(printed.map((e) => e.raw)).toEqual(okta.slice(0, 12));
    first.child.kill('SIGINT');
    expect(await first.exit).toBe(0);
    expect(first.err()).toContain('12 events stored, 0 duplicates, 0 rejected');

    // Appended while nothing followed the file: the next tail of the same case starts there.
    appendFileSync(log, `${okta.slice(12, 20).join('\n')}\n`);
    const second = start('--file', log, '--case', casePath, '--format', 'ndjson', 'outcome:success');
    const successes = okta
      .slice(12, 20)
      .filter((l) => (JSON.parse(l) as { outcome?: { result?: string } }).outcome?.result === 'SUCCESS');
    await until(() => lines(second.out()).length === successes.length, 'the events appended meanwhile');
    await new Promise((r) => setTimeout(r, 800));
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
    expect(lines(second.out()).map((l) => (JSON.parse(l) as { raw: string }).raw)).toEqual(successes);
    expect(second.err()).toContain('8 events stored');

    // Rotated twice while nothing followed it, the file it stopped in deleted at the second
    // rotation (logrotate's `rotate 1`; a link elsewhere keeps its inode from going to the new
    // file): said so.
    renameSync(log, `${log}.1`);
    writeFileSync(log, '');
    linkSync(`${log}.1`, temp.file('signins-inode-kept'));
    rmSync(`${log}.1`);
    renameSync(log, `${log}.1`);
    writeFileSync(log, `${okta.slice(20, 22).join('\n')}\n`);
    const third = start('--file', log, '--case', casePath, '--format', 'ndjson');
    await until(() => lines(third.out()).length === 2, "the new file's events");
    third.child.kill('SIGINT');
    expect(await third.exit).toBe(0);
    expect(third.err()).toMatch(
      /auditscope tail: warning: signins\.ndjson was rotated while no tail followed it.*\(deleted, or compressed other than by gzip\)/,
    );
  }, 90_000);

  it('raises a high alert for a burst of failed sign-ins as it is written', async () => {
    const log = temp.file('brute.ndjson');
    writeFileSync(log, '');
    // From the start of the (empty) file: lines written before the command is up are not skipped.
    const tail = start('--file', log, '--from-start', '--alerts', '--format', 'table');
    for (let i = 0; i < 6; i++)
      appendFileSync(
        log,
        `${JSON.stringify({ timestamp: new Date(Date.UTC(2025, 0, 1, 3, 0, i * 10)).toISOString(), user: `user${i}`, client_ip: '198.51.100.23', action: 'user.login', status: 'FAILED' })}\n`,
      );
    await until(() => tail.err().includes('Suspicious IP'), 'the alert');
    expect(tail.err()).toContain(
      'high alert: Suspicious IP: repeated failed sign-ins ip 198.51.100.23 (6 events)',
    );
    tail.child.kill('SIGINT');
    expect(await tail.exit).toBe(0);
    expect(tail.out()).toContain('198.51.100.23');
  }, 60_000);

  it('refuses a password in a source URL, and sources it cannot follow, with a clear message', async () => {
    const secret = start('--source', 'postgres://alice:hunter2@localhost/x', '--table', 'audit');
    expect(await secret.exit).toBe(2);
    expect(secret.err()).toContain('put the password in AUDITSCOPE_PASSWORD');
    expect(secret.err()).not.toContain('hunter2');
    const sqlite = start('--source', 'sqlite:///tmp/app.db', '--table', 'audit');
    expect(await sqlite.exit).toBe(2);
    expect(sqlite.err()).toContain('--source must be a postgres:// or mysql:// URL, not sqlite:');
  });
});
