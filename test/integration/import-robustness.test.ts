// Bad and repeated input: duplicates across files and gzip, unrecognized files, malformed records,
// oversize records, prototype-polluting keys. Every input ends as an event, a duplicate or a reject.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { dataset } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';

const OKTA = dataset('okta-system-log', 'cribl-okta-rest', 'okta_system_log.part1.ndjson');
const oktaLines = readFileSync(OKTA, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

describe('import robustness', () => {
  const temp = tempDir();
  let session: CaseSession;
  beforeAll(async () => {
    session = await CaseSession.open(temp.file('robust.auditscope'));
  });
  afterAll(async () => {
    await session.close();
    temp.cleanup();
  });

  it('counts the same events arriving as the file, its gzip, a multi-member gzip and overlapping exports', async () => {
    const first = await session.import([OKTA]);
    expect(first.totals).toMatchObject({ accepted: 50, duplicates: 0, rejected: 0 });

    const gz = temp.file('okta.ndjson.gz');
    writeFileSync(gz, gzipSync(readFileSync(OKTA)));
    expect((await session.import([gz])).totals).toMatchObject({ accepted: 0, duplicates: 50, rejected: 0 });

    // Two gzip members back to back (what `cat a.gz b.gz` makes) are one stream.
    const multi = temp.file('okta-multi.ndjson.gz');
    const half = oktaLines.slice(0, 20).join('\n') + '\n';
    const rest = oktaLines.slice(20).join('\n') + '\n';
    writeFileSync(multi, Buffer.concat([gzipSync(half), gzipSync(rest)]));
    expect((await session.import([multi])).totals).toMatchObject({ accepted: 0, duplicates: 50 });

    // Re-serialized with other whitespace: Okta's uuid makes it the same event.
    const respaced = temp.file('okta-respaced.ndjson');
    writeFileSync(respaced, oktaLines.map((l) => JSON.stringify(JSON.parse(l), null, 0)).join('\r\n'));
    expect((await session.import([respaced])).totals).toMatchObject({ accepted: 0, duplicates: 50 });
    expect((await session.read.stats()).events).toBe(50);
  });

  it('rejects malformed records with their line and offset and imports the rest', async () => {
    const bad = [
      '{"published": "2025-07-01T00:00:00Z", "broken": ',
      '{"a": NaN}',
      '[1,2,3]',
      '{"trailing": 1,}',
    ];
    const lines = [...oktaLines.slice(0, 3), ...bad, ...oktaLines.slice(3, 6)];
    const file = temp.file('okta-malformed.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    const summary = await session.import([file]);
    const result = summary.files[0];
    expect(result?.status).toBe('complete');
    expect(result?.rejected).toBe(4);
    expect((result?.accepted ?? 0) + (result?.duplicates ?? 0)).toBe(6);
    const rejects = await session.read.rejects(result?.importId ?? -1, 0, 100);
    expect(rejects.map((r) => r.line)).toEqual([4, 5, 6, 7]);
    const text = readFileSync(file, 'utf8');
    for (const reject of rejects) {
      expect(text.slice(reject.offset).startsWith(reject.head.slice(0, 10))).toBe(true);
      expect(reject.reason.length).toBeGreaterThan(5);
    }
  });

  it('rejects an oversize record without stopping the import', async () => {
    const file = temp.file('oversize.ndjson');
    const huge = JSON.stringify({ published: '2025-07-01T00:00:00Z', blob: 'x'.repeat(200_000) });
    writeFileSync(file, [oktaLines[0], huge, oktaLines[1]].join('\n'));
    const summary = await session.import([file], { maxRecordBytes: 64 * 1024 });
    expect(summary.files[0]?.rejected).toBe(1);
    expect(summary.files[0]?.duplicates).toBe(2);
    const [reject] = await session.read.rejects(summary.files[0]?.importId ?? -1, 0, 10);
    expect(reject?.line).toBe(2);
    expect(reject?.length).toBe(huge.length);
  });

  it('refuses a file nothing recognizes and writes nothing', async () => {
    const before = await session.read.imports();
    const file = temp.file('notes.txt');
    writeFileSync(file, 'These are my notes.\nNothing here is an audit log.\n');
    const binary = temp.file('blob.bin');
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 255, 254, 0, 7, 8]));
    const summary = await session.import([file, binary]);
    expect(summary.files.map((f) => f.status)).toEqual(['unrecognized', 'unrecognized']);
    expect(summary.files[0]?.error).toMatch(/not a recognized audit log|no readable records/);
    expect(await session.read.imports()).toEqual(before);
  });

  it('flags invalid UTF-8 instead of silently replacing it', async () => {
    const file = temp.file('latin1.ndjson');
    const good = Buffer.from('{"timestamp":"2025-01-02T00:00:00Z","user":"ren","action":"login"}\n');
    const bad = Buffer.concat([
      Buffer.from('{"timestamp":"2025-01-02T00:00:01Z","user":"r'),
      Buffer.from([0xe9, 0xc0, 0xaf]), // Latin-1 é, then an overlong encoding of '/'
      Buffer.from('n","action":"login"}\n'),
    ]);
    writeFileSync(file, Buffer.concat([good, bad]));
    const summary = await session.import([file]);
    expect(summary.totals.accepted).toBe(2);
    const handle = await session.read.openResult({
      filter: { kind: 'field', field: 'action', op: 'eq', value: 'login' },
      order: 'asc',
    });
    const rows = (await session.read.rows(handle, 0, 10)).filter(
      (e) => e.origin?.importId === summary.files[0]?.importId,
    );
    expect(rows.map((e) => e.encodingError ?? false)).toEqual([false, true]);
  });

  it('keeps the exact bytes of auditd lines that are not valid UTF-8', async () => {
    const file = temp.file('audit-latin1.log');
    const bytes = Buffer.concat([
      Buffer.from(
        'type=USER_LOGIN msg=audit(1700000000.123:501): pid=1 uid=0 auid=1000 ses=3 msg=\'op=login acct="j',
      ),
      Buffer.from([0xf6]), // Latin-1 ö
      Buffer.from('rg" exe="/usr/sbin/sshd" hostname=? addr=10.0.0.9 terminal=ssh res=failed\'\n'),
    ]);
    writeFileSync(file, bytes);
    const summary = await session.import([file]);
    expect(summary.files[0]).toMatchObject({ format: 'linux.auditd', accepted: 1, rejected: 0 });
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(session.path, { readonly: true });
    const row = db
      .prepare(`SELECT encoding_error, raw_bytes FROM events WHERE import_id = ?`)
      .get(summary.files[0]?.importId) as {
      encoding_error: number;
      raw_bytes: Buffer;
    };
    db.close();
    expect(row.encoding_error).toBe(1);
    expect(Buffer.compare(row.raw_bytes, bytes.subarray(0, bytes.length - 1))).toBe(0);
  });

  it('ends a truncated gzip with a clear error and keeps what came before', async () => {
    const file = temp.file('truncated.ndjson.gz');
    const whole = gzipSync(readFileSync(OKTA));
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const summary = await session.import([file]);
    expect(summary.files[0]?.status).toBe('failed');
    expect(summary.files[0]?.error).toMatch(/truncated/i);
    // Every record before the damage went in (here: as duplicates of the earlier Okta import).
    expect(summary.files[0]?.duplicates).toBeGreaterThan(10);
    expect(summary.files[0]?.duplicates).toBeLessThan(50);
    const imports = await session.read.imports();
    expect(imports.at(-1)).toMatchObject({ status: 'failed', error: expect.stringMatching(/truncated/i) });
  });

  it('stops a gzip bomb in bounded time and memory', async () => {
    const file = temp.file('bomb.ndjson.gz');
    // A real record, then 300 MB of line feeds: it sniffs as Okta, then inflates ~1000:1.
    writeFileSync(
      file,
      gzipSync(Buffer.concat([Buffer.from(`${oktaLines[0]}\n`), Buffer.alloc(300 * 1024 * 1024, 0x0a)])),
    );
    const started = Date.now();
    const summary = await session.import([file]);
    expect(summary.files[0]?.status).toBe('failed');
    expect(summary.files[0]?.error ?? '').toMatch(/ratio|exceeds/i);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('reads a GitHub CSV export as the same events as its JSON export', async () => {
    const json = dataset('github-audit', 'azure-sentinel-sample', 'Github_sample_logs.json');
    const records = readFileSync(json, 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(0, 8)
      .map((l) => JSON.parse(l));
    const keys = [
      '@timestamp',
      '_document_id',
      'action',
      'actor',
      'actor_id',
      'created_at',
      'operation_type',
      'user',
      'org',
      'repo',
    ];
    const cell = (v: unknown): string => {
      const text = v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const csv =
      [keys.join(','), ...records.map((r) => keys.map((k) => cell(r[k])).join(','))].join('\r\n') + '\r\n';
    const file = temp.file('github-export.csv');
    writeFileSync(file, csv);
    const fromJson = await session.import([json]);
    expect(fromJson.totals.accepted).toBe(63);
    const fromCsv = await session.import([file]);
    expect(fromCsv.files[0]).toMatchObject({
      format: 'github',
      container: 'csv',
      accepted: 0,
      duplicates: 8,
      rejected: 0,
    });
  });

  it('imports the next files whole after one is cancelled half-way (parse workers are reused)', async () => {
    // Okta events with fresh uuids: every line is a new event.
    const oktaCopies = (name: string, copies: number): string => {
      const file = temp.file(name);
      const out: string[] = [];
      for (let i = 0; i < copies; i++)
        for (const line of oktaLines) {
          const event = JSON.parse(line) as { uuid: string };
          out.push(JSON.stringify({ ...event, uuid: `${name}-${i}-${event.uuid}` }));
        }
      writeFileSync(file, out.join('\n') + '\n');
      return file;
    };
    const big = oktaCopies('okta-big.ndjson', 2000);
    const jobId = 'cancel-half-way';
    const cancelled = await session.import([big], {
      jobId,
      onProgress: (progress) => {
        if (progress.jobId === jobId && progress.accepted > 0) void session.cancelImport(jobId);
      },
    });
    expect(cancelled.files[0]?.status).toBe('cancelled');
    expect(cancelled.totals.accepted).toBeLessThan(100_000);

    // Neither the cancellation nor the flow control of that file carries over to the next ones.
    for (const name of ['okta-after-1.ndjson', 'okta-after-2.ndjson']) {
      const next = await session.import([oktaCopies(name, 40)]);
      expect(next.files[0]).toMatchObject({ status: 'complete', accepted: 2000, duplicates: 0, rejected: 0 });
    }
  });

  it('treats __proto__ and constructor keys as data', async () => {
    const file = temp.file('proto.ndjson');
    writeFileSync(
      file,
      '{"timestamp":"2025-01-01T00:00:00Z","user":"mallory","action":"login","__proto__":{"isAdmin":true},"a":{"constructor":{"prototype":{"x":1}}}}\n',
    );
    const summary = await session.import([file]);
    expect(summary.totals.accepted).toBe(1);
    const handle = await session.read.openResult({
      filter: { kind: 'field', field: 'actor', op: 'eq', value: 'mallory' },
    });
    const [event] = await session.read.rows(handle, 0, 1);
    expect(event?.raw).toContain('"__proto__":{"isAdmin":true}');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});
