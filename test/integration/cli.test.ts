// The `auditscope` command end to end, as a user runs it: real process, real files, exit codes.
import { spawnSync } from 'node:child_process';
import { pdfText } from '../support/pdftotext.ts';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, dataset } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';
import Database from 'better-sqlite3';
import { CaseSession } from '../../electron/engine/case-session.ts';
import type { VerifyReport } from '../../shared/domain/journal.ts';

const BIN = path.join(REPO_ROOT, 'electron/cli/bin.js');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, AUDITSCOPE_FROM_SOURCE: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the built auditscope command (npm run build)', () => {
  const temp = tempDir();
  afterAll(() => temp.cleanup());

  it('imports and queries from the bundle, workers included', () => {
    const built = path.join(REPO_ROOT, 'out/main/cli.js');
    if (!existsSync(built))
      throw new Error('out/main/cli.js is missing: run `npm run build` first (npm test does)');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
    expect(run('--help').stdout).toContain('auditscope — a security console for audit logs');
    const casePath = temp.file('built.auditscope');
    expect(run('import', dataset('github-audit'), '--case', casePath).status).toBe(0);
    expect(run('query', '--case', casePath, '--count', 'action:user.*').stdout.trim()).toMatch(/^\d+$/);
    expect(Number(run('query', '--case', casePath, '--count').stdout)).toBe(63);
  });
});

describe('auditscope CLI', () => {
  const temp = tempDir();
  const casePath = temp.file('cli.auditscope');
  afterAll(() => temp.cleanup());

  it('documents its commands', () => {
    const help = cli('--help');
    expect(help.status).toBe(0);
    for (const text of [
      'import <files or folders…> --case',
      'query --case',
      'stats --case',
      '--format',
      '--count',
      '--json',
    ]) {
      expect(help.stdout).toContain(text);
    }
  });

  it('imports with a JSON summary: per file path, SHA-256, format, counts; totals; events per second', () => {
    const run = cli(
      'import',
      dataset('aws-cloudtrail', 'stratus-red-team-detonation-logs'),
      dataset('okta-system-log'),
      '--case',
      casePath,
      '--json',
    );
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.files).toHaveLength(19);
    const okta = summary.files.find((f: { path: string }) => f.path.endsWith('okta_system_log.part1.ndjson'));
    expect(okta).toMatchObject({
      format: 'okta',
      accepted: 50,
      duplicates: 0,
      rejected: 0,
      status: 'complete',
    });
    expect(okta.sha256).toBe(createHash('sha256').update(readFileSync(okta.path)).digest('hex'));
    expect(summary.totals.accepted).toBe(175 + 50);
    expect(summary.eventsPerSecond).toBeGreaterThan(0);
  });

  it('queries with the search syntax in every output format', () => {
    const count = cli('query', '--case', casePath, '--count', 'source:okta');
    expect(count.status, count.stderr).toBe(0);
    expect(count.stdout.trim()).toBe('50');
    // A negated term needs no `--` in front of it.
    expect(cli('query', '--case', casePath, '--count', '-source:okta').stdout.trim()).toBe('175');

    const ndjson = cli(
      'query',
      '--case',
      casePath,
      '--format',
      'ndjson',
      '--limit',
      '5',
      '--order',
      'asc',
      'source:aws.cloudtrail',
    );
    const events = ndjson.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events).toHaveLength(5);
    for (const event of events) {
      expect(event.source).toBe('aws.cloudtrail');
      expect(event.id).toBe(`aws.cloudtrail:${JSON.parse(event.raw).eventID}`);
    }
    expect(events.map((e) => e.time)).toEqual([...events.map((e) => e.time)].sort((a, b) => a - b));

    const csv = cli('query', '--case', casePath, '--format', 'csv', '--limit', '3', 'source:okta');
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,time,time_original,source,action/);
    expect(lines).toHaveLength(4);

    const json = cli('query', '--case', casePath, '--format', 'json', '--limit', '2', 'source:okta');
    expect(JSON.parse(json.stdout)).toHaveLength(2);

    const table = cli('query', '--case', casePath, '--format', 'table', '--limit', '2', 'source:okta');
    expect(table.stdout.split('\n')[0]).toMatch(/^TIME\s+SOURCE\s+ACTION/);
  });

  it('imports an unknown CSV layout with an explicit field mapping', () => {
    const file = temp.file('app-audit.csv');
    writeFileSync(
      file,
      'when,who,what,from_addr,result\r\n2025-03-01 10:00:00,ana,record.view,10.1.2.3,ok\r\n2025-03-01 10:05:00,ben,record.delete,10.1.2.4,denied\r\n',
    );
    const mapped = temp.file('mapped.auditscope');
    const run = cli(
      'import',
      file,
      '--case',
      mapped,
      '--json',
      '--map',
      'time=when',
      '--map',
      'actor=who',
      '--map',
      'action=what',
      '--map',
      'ip=from_addr',
      '--map',
      'outcome=result',
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).files[0]).toMatchObject({ format: 'generic', accepted: 2, rejected: 0 });
    const rows = cli('query', '--case', mapped, '--format', 'ndjson', '--order', 'asc', 'ip:10.1.2.0/24')
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((e) => [e.actor.name, e.action, e.ip])).toEqual([
      ['ana', 'record.view', '10.1.2.3'],
      ['ben', 'record.delete', '10.1.2.4'],
    ]);
    expect(rows[0].time).toBe(Date.UTC(2025, 2, 1, 10) * 1000);
  });

  it('prints stats as text and JSON', () => {
    const stats = cli('stats', '--case', casePath, '--json');
    expect(stats.status, stats.stderr).toBe(0);
    const parsed = JSON.parse(stats.stdout);
    expect(parsed.events).toBe(225);
    expect(parsed.bySource).toEqual(
      expect.arrayContaining([
        { value: 'okta', count: 50 },
        { value: 'aws.cloudtrail', count: 175 },
      ]),
    );
    expect(parsed.span.first).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(cli('stats', '--case', casePath).stdout).toContain('by source');
  });

  it('verifies a case: the journal of its imports and exports, and the inputs still present', async () => {
    const input = temp.file('okta-copy.ndjson');
    writeFileSync(
      input,
      readFileSync(dataset('okta-system-log', 'cribl-okta-rest', 'okta_system_log.part1.ndjson')),
    );
    const verified = temp.file('verified.auditscope');
    expect(cli('import', input, dataset('github-audit'), '--case', verified).status).toBe(0);
    // An export through the engine is journaled too.
    const session = await CaseSession.open(verified);
    await session.exportEvents({}, { file: temp.file('out.ndjson'), format: 'ndjson' });
    await session.close();

    const ok = cli('verify', '--case', verified, '--json');
    expect(ok.status).toBe(0);
    const report = JSON.parse(ok.stdout) as VerifyReport;
    expect(report.journal).toMatchObject({ broken: null, head: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(report.journal.entries).toBeGreaterThanOrEqual(4); // created, two imports (at least), export
    expect(report.inputs.map((i) => i.state)).toEqual(report.inputs.map(() => 'match'));
    expect(cli('verify', '--case', verified).stdout).toMatch(
      /^journal: \d+ entries, intact; head [0-9a-f]{64}$/m,
    );

    // An input changed since: named, and the case is not verified.
    writeFileSync(input, `${readFileSync(input, 'utf8')}\n`);
    const changed = cli('verify', '--case', verified);
    expect(changed.status).toBe(1);
    expect(changed.stdout).toContain(`changed  ${input}`);
    expect(cli('verify', '--case', verified, '--no-inputs').status).toBe(0);

    // One character of the journal changed behind the app's back: the entry is named.
    const db = new Database(verified);
    db.prepare(
      "UPDATE journal SET detail = replace(detail, 'okta-copy', 'okta-cppy') WHERE action = 'import'",
    ).run();
    db.close();
    const broken = cli('verify', '--case', verified, '--no-inputs');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^journal: BROKEN at entry 2: its contents do not match its hash$/m);
  });

  it('exports a search to a file for scripts, journaled, never over an existing file', () => {
    const out = temp.file('failures.csv');
    const run = cli(
      'export',
      '--case',
      casePath,
      '--format',
      'csv',
      '--out',
      out,
      '--json',
      'outcome:failure',
    );
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { events: number; sha256: string; file: string };
    const expected = Number(cli('query', '--case', casePath, '--count', 'outcome:failure').stdout);
    expect(summary).toMatchObject({ events: expected, file: out });
    const rows = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(rows).toHaveLength(expected + 1);
    expect(summary.sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
    const again = cli('export', '--case', casePath, '--format', 'csv', '--out', out);
    expect([again.status, again.stderr.trim()]).toEqual([
      1,
      `auditscope export: ${out} exists: choose another --out, or --force`,
    ]);
    const report = JSON.parse(
      cli('verify', '--case', casePath, '--json', '--no-inputs').stdout,
    ) as VerifyReport;
    expect(report.journal.broken).toBeNull();
    const db = new Database(casePath, { readonly: true });
    const last = db.prepare('SELECT action, detail FROM journal ORDER BY seq DESC LIMIT 1').get() as {
      action: string;
      detail: string;
    };
    db.close();
    expect(last.action).toBe('export');
    expect(JSON.parse(last.detail)).toMatchObject({ file: out, sha256: summary.sha256, events: expected });
    expect(
      cli('export', '--case', temp.file('nope.auditscope'), '--format', 'csv', '--out', temp.file('x.csv'))
        .status,
    ).toBe(1);
  });

  it('writes reports for scripts: a template over a range as PDF, the case report as HTML', () => {
    const pdf = temp.file('security.pdf');
    const run = cli(
      'export',
      '--case',
      casePath,
      '--format',
      'pdf',
      '--template',
      'security-events',
      '--title',
      'Weekly security review',
      '--out',
      pdf,
      '--json',
    );
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { events: number; sha256: string; template: string };
    expect(summary.template).toBe('security-events');
    expect(summary.events).toBe(
      Number(cli('query', '--case', casePath, '--count', 'category:authentication OR category:iam').stdout),
    );
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('Weekly security review');
    expect(text).toContain('Chain of custody');

    const html = temp.file('case.html');
    expect(cli('export', '--case', casePath, '--format', 'html', '--out', html).status).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('<h1>Case report</h1>');
    // Report options are for reports only, and a template must exist.
    const wrong = cli(
      'export',
      '--case',
      casePath,
      '--format',
      'csv',
      '--template',
      'case',
      '--out',
      temp.file('y.csv'),
    );
    expect([wrong.status, wrong.stderr.trim()]).toEqual([
      2,
      'auditscope export: --template and --title are for --format html or pdf',
    ]);
    expect(
      cli('export', '--case', casePath, '--format', 'pdf', '--template', 'nope', '--out', temp.file('z.pdf'))
        .status,
    ).toBe(2);
  });

  it('runs a folder of Sigma rules over a case for scripted hunts, and says which it could not', () => {
    const rules = temp.file('rules');
    mkdirSync(path.join(rules, 'nested'), { recursive: true });
    writeFileSync(
      path.join(rules, 'nested', 'failed.yml'),
      'title: Policies\nid: r-1\nlevel: high\nlogsource: {product: okta, service: okta}\n' +
        'detection: {sel: {eventType|startswith: policy.}, condition: sel}\n',
    );
    writeFileSync(
      path.join(rules, 'windows.yml'),
      'title: Logon\nlogsource: {product: windows, service: security}\ndetection: {sel: {EventID: 4625}, condition: sel}\n',
    );
    const run = cli('detect', '--case', casePath, '--rules', rules, '--json');
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      rules: { id: string; title: string; level: string; matches: number; eventIds: string[] }[];
      unsupported: { title: string; reason: string }[];
    };
    const expected = Number(
      cli('query', '--case', casePath, '--count', 'source:okta eventType:policy.*').stdout,
    );
    expect(expected).toBeGreaterThan(0);
    expect(report.rules).toEqual([
      {
        id: 'r-1',
        title: 'Policies',
        level: 'high',
        file: expect.any(String),
        kind: 'sigma',
        matches: expected,
        eventIds: expect.any(Array),
      },
    ]);
    expect(report.rules[0]?.eventIds).toHaveLength(expected);
    expect(report.unsupported).toEqual([
      {
        file: expect.stringContaining('windows.yml'),
        id: expect.any(String),
        title: 'Logon',
        reason: expect.stringMatching(/not one Auditscope imports/),
      },
    ]);
    const text = cli('detect', '--case', casePath, '--rules', rules);
    expect(text.stdout).toContain(`${expected}  high`);
    expect(text.stdout).toContain('not evaluated: Logon:');
  });

  it('fails with one clear line on stderr and a non-zero exit code', () => {
    const missing = cli('query', '--case', temp.file('nope.auditscope'), 'x');
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('no case file');

    const badSearch = cli('query', '--case', casePath, 'actor:(');
    expect(badSearch.status).toBe(2);
    expect(badSearch.stderr.trim().split('\n')).toHaveLength(1);

    const unknown = cli('frobnicate');
    expect(unknown.status).toBe(2);

    // A damaged file that still delivered events keeps them (and says it failed).
    const truncated = temp.file('okta-cut.ndjson.gz');
    const whole = gzipSync(
      readFileSync(dataset('okta-system-log', 'cribl-okta-rest', 'okta_system_log.part1.ndjson')),
    );
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.7)));
    const partial = temp.file('partial.auditscope');
    const cut = cli('import', truncated, '--case', partial, '--json');
    expect(cut.status).toBe(1);
    expect(JSON.parse(cut.stdout).files[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/truncated/),
    });
    expect(Number(cli('query', '--case', partial, '--count').stdout)).toBeGreaterThan(10);

    const notLog = temp.file('notes.txt');
    writeFileSync(notLog, 'just some words\n');
    const fresh = temp.file('fresh.auditscope');
    const refused = cli('import', notLog, '--case', fresh);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/not a recognized audit log|no readable records/);
    expect(cli('stats', '--case', fresh).stderr).toContain('no case file'); // nothing was created
  });
});
