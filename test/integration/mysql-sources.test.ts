// Audit tables in a real MariaDB (started by this test): inspect, mapping proposals, preview,
// pull into a case, read-only sessions, identifiers and values that try to escape, TLS that
// refuses an untrusted certificate, a table followed live; and a fake server that asks the
// client for a local file (LOAD DATA LOCAL INFILE), which must get nothing.
import { spawnSync } from 'node:child_process';
import mysql from 'mysql2/promise';
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverSearch } from '../../electron/engine/sources/browse-table.ts';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { connectMysql } from '../../electron/engine/sources/mysql-reader.ts';
import { MemorySecrets } from '../../electron/engine/sources/secrets.ts';
import { SourceRegistry } from '../../electron/engine/sources/source-registry.ts';
import { openCaseForReading } from '../../electron/engine/store/case-db.ts';
import { mariadbMissing, startMariadb, type TestMariadb } from '../support/mariadb.ts';
import { tempDir } from '../support/temp-case.ts';
import { otherCertificate } from '../support/certificates.ts';
import type { TlsMode } from '../../shared/domain/source.ts';
import {
  expectCountEstimate,
  expectKeyFilter,
  expectPushDown,
  expectServerGroups,
  expectWholePull,
  expectWorkspaceInPlace,
} from '../support/push-down.ts';
import { REPO_ROOT } from '../support/paths.ts';

const missing = mariadbMissing();
if (missing) console.warn(`MariaDB source tests cannot run: ${missing}`);

const ROWS = 9_000;

describe('MySQL / MariaDB sources', () => {
  const temp = tempDir();
  let server: TestMariadb;
  let registry: SourceRegistry;
  let sourceId: string;

  const appDatabase = (name: string, tls: TlsMode = 'disable') => ({
    name,
    kind: 'mysql' as const,
    host: server.host,
    port: server.port,
    database: 'app',
    user: server.user,
    tls,
  });

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    server = await startMariadb();
    server.sql(
      `CREATE TABLE user_activity_log (
         id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id VARCHAR(64) NOT NULL, activity_type VARCHAR(64) NOT NULL,
         ip_address VARCHAR(45), details JSON, created_at DATETIME(3) NOT NULL);
       -- Timestamps repeat (every 3 rows share one), so paging must order ties by the key.
       INSERT INTO user_activity_log (user_id, activity_type, ip_address, details, created_at)
       SELECT CONCAT('user', seq % 40), ELT(1 + seq % 5, 'login', 'logout', 'login_failed', 'record.view', 'export'),
              CONCAT('10.0.', seq % 7, '.', seq % 250), JSON_OBJECT('record', seq, 'note', CONCAT('row ', seq)),
              TIMESTAMP('2024-05-01 00:00:00') + INTERVAL (seq DIV 3) SECOND
         FROM seq_1_to_${ROWS};
       CREATE TABLE audit_log (
         id INT AUTO_INCREMENT PRIMARY KEY, table_name VARCHAR(64), record_id INT, action VARCHAR(16),
         old_values JSON, new_values JSON, changed_by VARCHAR(64), changed_at TIMESTAMP NULL);
       INSERT INTO audit_log (table_name, record_id, action, old_values, new_values, changed_by, changed_at)
       VALUES ('invoices', 7, 'UPDATE', '{"amount": 100}', '{"amount": 9000}', 'mallory', '2024-05-02 09:00:00');
       CREATE TABLE \`weird\`\`; DROP TABLE audit_log; --\` (at DATETIME, who TEXT);
       INSERT INTO \`weird\`\`; DROP TABLE audit_log; --\` VALUES ('2024-05-04 00:00:00', 'x');`,
      'app',
    );
    registry = new SourceRegistry(temp.file('sources.json'), new MemorySecrets({}));
    sourceId = registry.save(appDatabase('app db'), server.password).id;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    temp.cleanup();
  });

  it('lists tables and proposes a mapping for user_activity_log and audit_log', async () => {
    const { tables, location } = await registry.inspect(sourceId);
    expect(location).toBe(`mysql://auditor@127.0.0.1:${server.port}/app`);
    expect(tables).toEqual(expect.arrayContaining(['user_activity_log', 'audit_log']));
    const activity = (await registry.inspect(sourceId, 'user_activity_log')).table;
    expect(activity).toMatchObject({
      key: 'id',
      proposed: {
        time: 'created_at',
        actor: 'user_id',
        action: 'activity_type',
        ip: 'ip_address',
        message: 'details',
      },
    });
    const audit = (await registry.inspect(sourceId, 'audit_log')).table;
    expect(audit?.proposed).toMatchObject({ time: 'changed_at', actor: 'changed_by', action: 'action' });
  });

  it('previews events with JSON columns read as JSON, times as the server wrote them', async () => {
    const preview = await registry.preview(sourceId, 'user_activity_log', {
      time: 'created_at',
      actor: 'user_id',
      action: 'activity_type',
      ip: 'ip_address',
      target: 'details.record',
    });
    expect(preview).toHaveLength(20);
    expect(preview[0]?.event).toEqual({
      time: '2024-05-01 00:00:00',
      actor: 'user1',
      action: 'logout',
      target: '1',
      outcome: 'unknown',
      ip: '10.0.1.1',
    });
    const changes = await registry.preview(sourceId, 'audit_log', {
      time: 'changed_at',
      target: 'new_values.amount',
    });
    expect(changes[0]?.event).toMatchObject({ time: '2024-05-02 09:00:00', target: '9000' });
  });

  it('pulls a table into a case across pages with repeated timestamps, exactly once each', async () => {
    const session = await CaseSession.open(temp.file('pull.auditscope'));
    try {
      const { mapping } = await expectWholePull(
        registry,
        session,
        {
          id: sourceId,
          table: 'user_activity_log',
          location: `mysql://auditor@127.0.0.1:${server.port}/app`,
          password: server.password,
        },
        ROWS,
      );
      const slice = await registry.pull(session, sourceId, 'user_activity_log', mapping, {
        from: '2024-05-01 00:10:00',
        to: '2024-05-01 00:20:00',
        limit: 1000,
      });
      expect(slice.rows).toBe(1000);
      expect(slice.summary.totals).toMatchObject({ accepted: 0, duplicates: 1000 });
    } finally {
      await session.close();
    }
  });

  it('pulls every row of a table without a key, identical rows too, across pages', async () => {
    server.sql(
      `CREATE TABLE sign_ins (at DATETIME NOT NULL, who VARCHAR(32), what VARCHAR(32));
       INSERT INTO sign_ins SELECT '2024-05-03 08:00:00', 'alice', 'login' FROM seq_1_to_3;
       -- Equal to alice's in the table's collation, but not the same row: no copy of them.
       INSERT INTO sign_ins VALUES ('2024-05-03 08:00:00', 'Alice', 'login'), ('2024-05-03 08:00:00', 'ALICE', 'login');
       INSERT INTO sign_ins SELECT '2024-05-03 08:00:00', CONCAT('user', seq), 'login' FROM seq_1_to_6000;`,
      'app',
    );
    const session = await CaseSession.open(temp.file('keyless-pull.auditscope'));
    try {
      const pulled = await registry.pull(
        session,
        sourceId,
        'sign_ins',
        { time: 'at', actor: 'who', action: 'what' },
        { limit: 10_000 },
      );
      expect(pulled.rows).toBe(6005);
      expect(pulled.summary.totals).toMatchObject({ accepted: 6005, duplicates: 0 });
      const copies = readFileSync(pulled.file, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"auditscope_copy"'))
        .map((line) => JSON.parse(line) as { who: string; auditscope_copy: number });
      expect(copies.map((row) => `${row.who} ${row.auditscope_copy}`).sort()).toEqual(['alice 2', 'alice 3']);
    } finally {
      await session.close();
    }
  });

  it('runs searches on the server: counts (or estimates), time buckets, top values and newest-first pages of exactly the matching rows', async () => {
    const reader = await registry.connector(sourceId).connect();
    try {
      await expectServerGroups(reader, 'user_activity_log', ROWS);
      await expectCountEstimate(reader, 'user_activity_log', ROWS);
      await expectPushDown(reader, 'user_activity_log', ROWS);
      await expectKeyFilter(reader, 'user_activity_log', ROWS);
    } finally {
      await reader.close();
    }
  });

  it('is searched from the command line over TLS pinned to its certificate, the password from the environment', async () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(REPO_ROOT, 'electron/cli/bin.js'), 'query', ...args], {
        encoding: 'utf8',
        env: { ...process.env, AUDITSCOPE_PASSWORD: server.password },
      });
    const source = [
      '--source',
      `mysql://auditor@127.0.0.1:${server.port}/app?sslrootcert=${encodeURIComponent(server.certificate)}`,
      '--table',
      'user_activity_log',
    ];
    const counted = run(...source, '--count', 'action:export', 'actor:user4');
    expect(counted.stderr).toBe('');
    expect(counted.stdout.trim()).toBe(
      String(Array.from({ length: ROWS }, (_, i) => i + 1).filter((g) => g % 5 === 4 && g % 40 === 4).length),
    );
    const listed = run(
      ...source,
      '--format',
      'ndjson',
      '--limit',
      '3',
      '--from',
      '2024-05-01T00:00:00Z',
      '--to',
      '2024-05-01T00:00:02Z',
    );
    expect(listed.status).toBe(0);
    const events = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { actor: { name: string }; action: string; time: number });
    // Rows 1-5 fall before 00:00:02 (one timestamp per three rows); newest first, three of them.
    expect(events.map((e) => [e.actor.name, e.action])).toEqual([
      ['user5', 'login'],
      ['user4', 'export'],
      ['user3', 'record.view'],
    ]);
    const refused = run(...source, 'outcome:failure');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('outcome is worked out when events are imported');
  });

  it('answers the workspace over the table in place: counts, rows by position (keyset from the nearest page read), jumps, histogram, top values', async () => {
    await expectWorkspaceInPlace(registry, sourceId, 'user_activity_log', ROWS, (sql) =>
      server.sql(sql, 'app'),
    );
  });

  it('cancels a statement that browsing runs on the server', async () => {
    const mapping = { time: 'changed_at', actor: 'changed_by' };
    // Another session (the writing user's) holds the table: the count waits until cancelled.
    const locker = await mysql.createConnection({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
      database: 'app',
    });
    try {
      await locker.query('LOCK TABLES audit_log WRITE');
      const counting = registry.count(sourceId, 'audit_log', serverSearch({ search: '' }, mapping));
      counting.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 500));
      await registry.cancel(sourceId);
      await expect(counting).rejects.toThrow(/interrupted/);
      await locker.query('UNLOCK TABLES');
    } finally {
      await locker.end();
    }
    await expect(
      registry.count(sourceId, 'audit_log', serverSearch({ search: '' }, mapping)),
    ).resolves.toEqual({
      count: 1,
      exact: true,
    });
  });

  it('reads only: the session refuses writes, and names and values never become SQL', async () => {
    // The user may write (ALL on app.*): the refusal is the connection's own.
    const connection = await connectMysql({ ...appDatabase('x'), password: server.password });
    try {
      await expect(connection.query("INSERT INTO audit_log (action) VALUES ('x')")).rejects.toThrow(
        /READ ONLY/i,
      );
      await expect(connection.query('CREATE TABLE x (a int)')).rejects.toThrow(/READ ONLY/i);
      // One statement per query: a second one is a syntax error, never run.
      await expect(connection.query('SELECT 1; SELECT 2')).rejects.toThrow(/syntax/);
    } finally {
      await connection.end();
    }
    for (const table of [
      'audit_log; DROP TABLE audit_log',
      '`audit_log`',
      'app.audit_log',
      "audit_log' --",
    ]) {
      await expect(registry.inspect(sourceId, table), table).rejects.toThrow(/no table/);
    }
    for (const column of ['changed_at; DROP TABLE audit_log', 'changed_at`', 'x']) {
      await expect(registry.preview(sourceId, 'audit_log', { time: column }), column).rejects.toThrow(
        /map the event time/,
      );
    }
    const weird = 'weird`; DROP TABLE audit_log; --';
    await expect(registry.preview(sourceId, weird, { time: 'at', actor: 'who' })).resolves.toHaveLength(1);
    // A bound value is only ever a value: spliced in, this bound would match every row; bound,
    // it is an invalid date that MariaDB reads as the zero date, and nothing is before it.
    const session = await CaseSession.open(temp.file('inject.auditscope'));
    try {
      const pulled = await registry.pull(
        session,
        sourceId,
        'audit_log',
        { time: 'changed_at' },
        {
          to: "0000' OR 1=1 --",
          limit: 10,
        },
      );
      expect(pulled.rows).toBe(0);
    } finally {
      await session.close();
    }
    expect(server.sql('SELECT count(*) FROM audit_log', 'app').trim()).toBe('1');
  });

  it('refuses a server whose certificate it cannot verify, and a wrong password', async () => {
    const tls = registry.save(appDatabase('tls', 'verify'), server.password);
    await expect(registry.inspect(tls.id)).rejects.toThrow(/self-signed certificate/);
    const pinned = registry.save(
      { ...appDatabase('pinned', 'pinned'), certificate: server.certificate },
      server.password,
    );
    await expect(registry.inspect(pinned.id)).resolves.toMatchObject({ tables: expect.any(Array) });
    const other = registry.save(
      { ...appDatabase('other cert', 'pinned'), certificate: otherCertificate(temp.dir) },
      server.password,
    );
    await expect(registry.inspect(other.id)).rejects.toThrow(/self-signed certificate/);
    const wrong = registry.save(appDatabase('wrong'), 'not-the-password');
    await expect(registry.inspect(wrong.id)).rejects.toThrow(/Access denied/);
  });

  it('follows a table live from now: rows committed while followed arrive once each', async () => {
    server.sql(
      `CREATE TABLE live_audit (id INT AUTO_INCREMENT PRIMARY KEY, username VARCHAR(32), action VARCHAR(32),
         created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6));`,
      'app',
    );
    const casePath = temp.file('live.auditscope');
    const session = await CaseSession.open(casePath);
    const count = (): number => {
      const db = openCaseForReading(casePath);
      try {
        return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
      } finally {
        db.close();
      }
    };
    // Rows from an hour ago are not for the tail; the newest row, written as it starts, is within
    // the overlap it reads again (DATETIME has no zone: from now is from the newest row).
    server.sql(
      `INSERT INTO live_audit (username, action, created_at)
         VALUES ('old', 'act', UTC_TIMESTAMP(6) - INTERVAL 1 HOUR), ('old', 'act', UTC_TIMESTAMP(6) - INTERVAL 1 HOUR),
                ('recent', 'act', UTC_TIMESTAMP(6))`,
      'app',
    );
    try {
      await session.followTable(
        registry.connector(sourceId),
        'live_audit',
        { time: 'created_at', actor: 'username', action: 'action' },
        { fromStart: false, ruleFolders: [] },
      );
      await new Promise((r) => setTimeout(r, 1500));
      for (let i = 0; i < 30; i++) {
        server.sql(`INSERT INTO live_audit (username, action) VALUES ('u${i % 3}', 'act${i}')`, 'app');
        if (i % 10 === 9) await new Promise((r) => setTimeout(r, 300));
      }
      for (let i = 0; i < 100 && count() < 31; i++) await new Promise((r) => setTimeout(r, 200));
    } finally {
      await session.close();
    }
    expect(count()).toBe(31);
  }, 60_000);
});

describe('a malicious MySQL server', () => {
  const temp = tempDir();
  afterAll(() => temp.cleanup());

  it('asks for a local file (LOAD DATA LOCAL INFILE) and gets none of it', async () => {
    const secret = temp.file('secret.txt');
    writeFileSync(secret, 'TOP-SECRET-CONTENT');
    const received: Buffer[] = [];
    let clientFlags = 0;
    const server = createServer((socket: Socket) =>
      fakeServer(socket, secret, received, (f) => (clientFlags = f)),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await expect(
        connectMysql({ host: '127.0.0.1', port, database: 'app', user: 'u', password: 'p', tls: 'disable' }),
      ).rejects.toThrow();
    } finally {
      server.close();
    }
    const CLIENT_LOCAL_FILES = 0x80;
    expect(clientFlags & CLIENT_LOCAL_FILES).toBe(0);
    expect(received.length).toBeGreaterThan(0); // the client did answer the request…
    expect(Buffer.concat(received).toString('latin1')).not.toContain('TOP-SECRET'); // …with nothing of the file
  });
});

/**
 * Just enough of the MySQL protocol: a handshake, an OK for any login, then the answer to the
 * first query is a LOCAL INFILE request for `file`; whatever the client sends next is recorded,
 * and the query ends with an error.
 */
function fakeServer(
  socket: Socket,
  file: string,
  received: Buffer[],
  onFlags: (flags: number) => void,
): void {
  const packet = (sequence: number, payload: Buffer): Buffer => {
    const header = Buffer.alloc(4);
    header.writeUIntLE(payload.length, 0, 3);
    header[3] = sequence;
    return Buffer.concat([header, payload]);
  };
  const scramble = Buffer.from('abcdefghijklmnopqrst');
  const capabilities = 0x0000_0200 | 0x0000_8000 | 0x0008_0000 | 0x0000_0008; // 41, secure conn, plugin auth, with db
  const handshake = Buffer.concat([
    Buffer.from([10]),
    Buffer.from('5.7.99-fake\0'),
    Buffer.from([1, 0, 0, 0]),
    scramble.subarray(0, 8),
    Buffer.from([0]),
    Buffer.from([capabilities & 0xff, (capabilities >> 8) & 0xff]),
    Buffer.from([33, 2, 0]),
    Buffer.from([(capabilities >> 16) & 0xff, (capabilities >> 24) & 0xff]),
    Buffer.from([21]),
    Buffer.alloc(10),
    scramble.subarray(8),
    Buffer.from([0]),
    Buffer.from('mysql_native_password\0'),
  ]);
  socket.write(packet(0, handshake));
  let stage = 0;
  let pending = Buffer.alloc(0);
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const length = pending.readUIntLE(0, 3);
      if (pending.length < 4 + length) return;
      const payload = pending.subarray(4, 4 + length);
      pending = pending.subarray(4 + length);
      if (stage === 0) {
        onFlags(payload.readUInt32LE(0));
        socket.write(packet(2, Buffer.from([0, 0, 0, 2, 0, 0, 0])));
        stage = 1;
      } else if (stage === 1) {
        // COM_QUERY: answer with a request for the local file.
        socket.write(packet(1, Buffer.concat([Buffer.from([0xfb]), Buffer.from(file)])));
        stage = 2;
      } else {
        received.push(Buffer.from(payload));
        const error = Buffer.concat([Buffer.from([0xff, 0x51, 0x04]), Buffer.from('#HY000no file for you')]);
        socket.write(packet(3, error));
        stage = 3;
      }
    }
  });
}
