// Audit tables in a real PostgreSQL (started by this test) and in an SQLite file written by
// "another application": inspect, mapping proposals for the three table shapes analysts meet,
// preview, pull into a case, read-only sessions, identifiers and values that try to escape,
// TLS that refuses an untrusted certificate, passwords that never reach the sources file.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverSearch } from '../../electron/engine/sources/browse-table.ts';
import { parseSearch } from '../../shared/query/parse-search.ts';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { connectPostgres } from '../../electron/engine/sources/postgres-reader.ts';
import { MemorySecrets } from '../../electron/engine/sources/secrets.ts';
import { SourceRegistry } from '../../electron/engine/sources/source-registry.ts';
import { postgresMissing, startPostgres, type TestPostgres } from '../support/postgres.ts';
import { tempDir } from '../support/temp-case.ts';
import { otherCertificate } from '../support/certificates.ts';
import type { TlsMode } from '../../shared/domain/source.ts';
import type { SourceRow } from '../../electron/engine/sources/table-reader.ts';
import {
  expectCountEstimate,
  expectKeyFilter,
  expectPushDown,
  expectServerGroups,
  expectWholePull,
  expectWorkspaceInPlace,
} from '../support/push-down.ts';

const missing = postgresMissing();
if (missing) console.warn(`PostgreSQL source tests cannot run: ${missing}`);

const ROWS = 12_000;

describe('database sources', () => {
  const temp = tempDir();
  let server: TestPostgres;
  let registry: SourceRegistry;
  let postgresId: string;

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    server = await startPostgres();
    server.psql('CREATE DATABASE app');
    server.psql(
      `CREATE TABLE user_activity_log (
         id bigserial PRIMARY KEY, user_id text NOT NULL, activity_type text NOT NULL,
         ip_address inet, details jsonb, created_at timestamptz NOT NULL);
       -- Timestamps repeat (every 3 rows share one), so paging must order ties by the key.
       INSERT INTO user_activity_log (user_id, activity_type, ip_address, details, created_at)
       SELECT 'user' || (g % 40), (ARRAY['login','logout','login_failed','record.view','export'])[1 + g % 5],
              ('10.0.' || (g % 7) || '.' || (g % 250))::inet, jsonb_build_object('record', g, 'note', 'row ' || g),
              timestamptz '2024-05-01 00:00:00+00' + ((g / 3) || ' seconds')::interval
       FROM generate_series(1, ${ROWS}) g;
       CREATE TABLE audit_log (
         id serial PRIMARY KEY, table_name text, record_id int, action text,
         old_values jsonb, new_values jsonb, changed_by text, changed_at timestamp);
       INSERT INTO audit_log (table_name, record_id, action, old_values, new_values, changed_by, changed_at)
       VALUES ('invoices', 7, 'UPDATE', '{"amount": 100}', '{"amount": 9000}', 'mallory', '2024-05-02 09:00:00');
       CREATE TABLE pgaudit_log (
         log_time timestamptz, user_name text, database_name text, session_id text,
         command_tag text, object_type text, object_name text, statement text);
       INSERT INTO pgaudit_log VALUES
         ('2024-05-03 12:00:00+00', 'app', 'app', '6633a1.1', 'SELECT', 'TABLE', 'public.cards', 'select * from cards');
       CREATE TABLE "weird""; DROP TABLE audit_log; --" (at timestamptz, who text);
       INSERT INTO "weird""; DROP TABLE audit_log; --" VALUES ('2024-05-04 00:00:00+00', 'x');`,
      'app',
    );
    registry = new SourceRegistry(temp.file('sources.json'), new MemorySecrets({}));
    postgresId = savePostgres('app db', 'disable', server.password).id;
  }, 60_000);

  /** A source for the test server's `app` database. */
  const appDatabase = (name: string, tls: TlsMode = 'disable', user = server.user) => ({
    name,
    kind: 'postgres' as const,
    host: server.host,
    port: server.port,
    database: 'app',
    user,
    tls,
  });
  const savePostgres = (name: string, tls: TlsMode, password: string) =>
    registry.save(appDatabase(name, tls), password);

  afterAll(() => {
    registry?.closeBrowsing();
    server?.stop();
    temp.cleanup();
  });

  it('keeps the password out of the sources file, and says one is kept', () => {
    const file = readFileSync(temp.file('sources.json'), 'utf8');
    expect(file).not.toContain(server.password);
    expect(JSON.parse(file)).toEqual([expect.objectContaining({ id: postgresId, kind: 'postgres' })]);
    expect(registry.list()).toEqual([expect.objectContaining({ id: postgresId, hasPassword: true })]);
  });

  it('lists tables and proposes a mapping for user_activity_log, audit_log and a pgaudit table', async () => {
    const { tables, location } = await registry.inspect(postgresId);
    expect(location).toBe(`postgres://postgres@127.0.0.1:${server.port}/app`);
    expect(tables).toEqual(
      expect.arrayContaining(['public.user_activity_log', 'public.audit_log', 'public.pgaudit_log']),
    );
    const activity = (await registry.inspect(postgresId, 'public.user_activity_log')).table;
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
    const audit = (await registry.inspect(postgresId, 'public.audit_log')).table;
    expect(audit?.proposed).toMatchObject({ time: 'changed_at', actor: 'changed_by', action: 'action' });
    const pgaudit = (await registry.inspect(postgresId, 'public.pgaudit_log')).table;
    expect(pgaudit?.proposed).toMatchObject({
      time: 'log_time',
      actor: 'user_name',
      action: 'command_tag',
      target: 'object_name',
      sessionId: 'session_id',
      message: 'statement',
    });
    expect(pgaudit?.key).toBeUndefined();
  });

  it('previews the events rows become, and says why a row cannot be one', async () => {
    const preview = await registry.preview(postgresId, 'public.user_activity_log', {
      time: 'created_at',
      actor: 'user_id',
      action: 'activity_type',
      ip: 'ip_address',
      target: 'details.record',
    });
    expect(preview).toHaveLength(20);
    expect(preview[0]?.event).toEqual({
      time: '2024-05-01 00:00:00+00',
      actor: 'user1',
      action: 'logout',
      target: '1',
      outcome: 'unknown',
      ip: '10.0.1.1',
    });
    const unmapped = await registry.preview(postgresId, 'public.audit_log', {
      time: 'changed_at',
      message: 'nope',
    });
    expect(unmapped[0]?.event?.time).toBe('2024-05-02 09:00:00');
    await expect(registry.preview(postgresId, 'public.audit_log', { time: 'new_values' })).resolves.toEqual([
      expect.objectContaining({ error: expect.stringMatching(/timestamp/) }),
    ]);
  });

  it('pulls a table into a case across pages with repeated timestamps, exactly once each', async () => {
    const session = await CaseSession.open(temp.file('pull.auditscope'));
    try {
      const { mapping, pulled, provenance } = await expectWholePull(
        registry,
        session,
        {
          id: postgresId,
          table: 'public.user_activity_log',
          location: `postgres://postgres@127.0.0.1:${server.port}/app`,
          password: server.password,
        },
        ROWS,
      );
      // The case imported that very file and recorded its hash.
      const [record] = await session.read.imports();
      expect(record).toMatchObject({ path: pulled.file, sha256: provenance.sha256 });
      // The mapping is kept with the source for next time.
      expect(registry.get(postgresId)).toMatchObject({ table: 'public.user_activity_log', mapping });

      // A slice by time, with a limit; pulling rows again adds no duplicates.
      const slice = await registry.pull(session, postgresId, 'public.user_activity_log', mapping, {
        from: '2024-05-01 00:10:00+00',
        to: '2024-05-01 00:20:00+00',
        limit: 1000,
      });
      // 1,800 rows fall in those ten minutes (three a second): the limit keeps the first 1,000.
      expect(slice.rows).toBe(1000);
      expect(slice.summary.totals).toMatchObject({ accepted: 0, duplicates: 1000 });

      // The rows Logs shows of a table read in place: its search, run on the server, recorded.
      const parsed = parseSearch('actor:user9 ip:10.0.3.*');
      if (!parsed.ok) throw new Error(parsed.error.message);
      const query = { filter: parsed.filter, from: Date.UTC(2024, 4, 1, 0, 30) * 1000 };
      const searched = await registry.pull(session, postgresId, 'public.user_activity_log', mapping, {
        limit: 1_000_000,
        query,
      });
      const expected = Array.from({ length: ROWS }, (_, i) => i + 1).filter(
        (g) => g % 40 === 9 && g % 7 === 3 && g / 3 >= 1800,
      );
      expect(expected.length).toBeGreaterThan(10);
      expect(searched.rows).toBe(expected.length);
      expect(
        readFileSync(searched.file, 'utf8')
          .trimEnd()
          .split('\n')
          .map((l) => (JSON.parse(l) as { details: { record: number } }).details.record),
      ).toEqual(expected);
      expect(JSON.parse(readFileSync(`${searched.file}.provenance.json`, 'utf8'))).toMatchObject({ query });
    } finally {
      await session.close();
    }
  });

  it('runs searches on the server: counts (or estimates), time buckets, top values and newest-first pages of exactly the matching rows', async () => {
    const reader = await registry.connector(postgresId).connect();
    try {
      await expectServerGroups(reader, 'public.user_activity_log', ROWS);
      await expectCountEstimate(reader, 'public.user_activity_log', ROWS);
      await expectPushDown(reader, 'public.user_activity_log', ROWS);
      await expectKeyFilter(reader, 'public.user_activity_log', ROWS);
    } finally {
      await reader.close();
    }
  });

  it('reads a followed table’s new rows through its key’s index, even before the server has analyzed the table', async () => {
    // A table created minutes ago has no statistics until autovacuum gets to it (kept off here).
    // `key > x OR key = ANY(…)` is no index range: from ~600,000 rows the planner then scanned the
    // whole table, in parallel, at every poll.
    server.psql(
      `CREATE TABLE fresh_audit (id bigserial PRIMARY KEY, username text,
         created_at timestamptz NOT NULL DEFAULT clock_timestamp()) WITH (autovacuum_enabled = false);
       INSERT INTO fresh_audit (username) SELECT 'user' || (g % 500) FROM generate_series(1, 600000) g;`,
      'app',
    );
    const scans = () =>
      server
        .psql(
          `SELECT seq_scan, coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'fresh_audit'`,
          'app',
        )
        .trim()
        .split('|')
        .map(Number) as [number, number];
    const [seqBefore, indexBefore] = scans();
    const reader = await registry.connector(postgresId).connect();
    let rows: SourceRow[];
    try {
      rows = await reader.rows('public.fresh_audit', {
        timeColumn: 'created_at',
        key: 'id',
        limit: 30_000,
        keys: { above: '599997', missing: ['17', '42'] },
      });
    } finally {
      await reader.close();
    }
    expect(rows.map((row) => Number(row.id))).toEqual([17, 42, 599998, 599999, 600000]);
    // The reader's session reports its scans as it ends: once they show, none was sequential.
    await expect
      .poll(() => scans().reduce((a, b) => a + b), { timeout: 15_000 })
      .toBeGreaterThan(seqBefore + indexBefore);
    expect(scans()[0]).toBe(seqBefore);
  });

  it('browses a table in place page after page through the registry, as the workspace does', async () => {
    const mapping = {
      time: 'created_at',
      actor: 'user_id',
      action: 'activity_type',
      target: 'details.record',
    };
    const request = { search: 'action:login* actor:user1*', from: Date.UTC(2024, 4, 1, 0, 30) * 1000 };
    const count = await registry.count(
      postgresId,
      'public.user_activity_log',
      serverSearch(request, mapping),
    );
    const seen: string[] = [];
    let after: Parameters<SourceRegistry['browse']>[3]['after'] = null;
    do {
      const page = await registry.browse(postgresId, 'public.user_activity_log', mapping, {
        ...request,
        after,
        limit: 97,
      });
      seen.push(...page.rows.map((r) => r.event?.target ?? ''));
      after = page.next;
    } while (after);
    // Every matching row once, newest first, each an event; the count is the server's.
    const expected = Array.from({ length: ROWS }, (_, i) => i + 1)
      .filter((g) => (g % 5 === 0 || g % 5 === 2) && String(g % 40).startsWith('1') && g / 3 >= 1800)
      .reverse()
      .map(String);
    expect(seen).toEqual(expected);
    expect(count).toEqual({ count: expected.length, exact: true });
    await expect(
      registry.browse(postgresId, 'public.user_activity_log', mapping, {
        search: 'outcome:failure',
        after: null,
        limit: 10,
      }),
    ).rejects.toThrow(/worked out when events are imported/);
  });

  it('answers the workspace over the table in place: counts, rows by position (keyset from the nearest page read), jumps, histogram, top values', async () => {
    await expectWorkspaceInPlace(registry, postgresId, 'public.user_activity_log', ROWS, (sql) =>
      server.psql(sql, 'app'),
    );
  });

  it('cancels a statement that browsing runs on the server', async () => {
    const mapping = { time: 'changed_at', actor: 'changed_by' };
    // Another session holds the table: the count waits on the lock until cancelled.
    const locker = new pg.Client({ ...server.target('app') });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE');
      const counting = registry.count(postgresId, 'public.audit_log', serverSearch({ search: '' }, mapping));
      counting.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 500));
      await registry.cancel(postgresId);
      await expect(counting).rejects.toThrow(/canceling statement due to user request/);
      await locker.query('COMMIT');
    } finally {
      await locker.end();
    }
    // The next call connects again.
    await expect(
      registry.count(postgresId, 'public.audit_log', serverSearch({ search: '' }, mapping)),
    ).resolves.toEqual({
      count: 1,
      exact: true,
    });
  });

  it('reads only: the session refuses writes, and names and values never become SQL', async () => {
    const client = await connectPostgres(server.target('app'));
    try {
      await expect(client.query("INSERT INTO audit_log (action) VALUES ('x')")).rejects.toThrow(
        /read-only transaction/,
      );
      await expect(client.query('CREATE TABLE x (a int)')).rejects.toThrow(/read-only transaction/);
    } finally {
      await client.end();
    }
    for (const table of [
      'public.audit_log; DROP TABLE audit_log',
      'audit_log',
      '"public"."audit_log"',
      "public.audit_log' --",
    ]) {
      await expect(registry.inspect(postgresId, table), table).rejects.toThrow(/no table/);
    }
    for (const column of ['changed_at; DROP TABLE audit_log', 'changed_at"', 'x']) {
      await expect(
        registry.preview(postgresId, 'public.audit_log', { time: column }),
        column,
      ).rejects.toThrow(/map the event time/);
    }
    // A table whose very name is an attack is read like any other, quoted.
    const weird = 'public.weird"; DROP TABLE audit_log; --';
    await expect(registry.preview(postgresId, weird, { time: 'at', actor: 'who' })).resolves.toHaveLength(1);
    // Values are bound: an attack in a time bound is just an invalid timestamp.
    const session = await CaseSession.open(temp.file('inject.auditscope'));
    try {
      await expect(
        registry.pull(
          session,
          postgresId,
          'public.audit_log',
          { time: 'changed_at' },
          { from: "2024' OR 1=1 --", limit: 10 },
        ),
      ).rejects.toThrow(/invalid input syntax for type timestamp/);
      // A failed pull leaves nothing that could pass for a pulled file.
      expect(existsSync(`${session.path}.pulls`) ? readdirSync(`${session.path}.pulls`) : []).toEqual([]);
    } finally {
      await session.close();
    }
    expect(server.psql('SELECT count(*) FROM audit_log', 'app').trim()).toBe('1');
  });

  it('refuses a server whose certificate it cannot verify, and a wrong password', async () => {
    const tls = savePostgres('tls', 'verify', server.password);
    await expect(registry.inspect(tls.id)).rejects.toThrow(/self-signed certificate/);
    // Pinned to the server's own certificate it connects (no CA, no host name needed); pinned to
    // another certificate, it refuses.
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
    expect(() => registry.save(appDatabase('no file', 'pinned'), server.password)).toThrow(
      /certificate file/,
    );
    const wrong = savePostgres('wrong', 'disable', 'not-the-password');
    await expect(registry.inspect(wrong.id)).rejects.toThrow(/password authentication failed/);
  });

  it('forgets a kept password when the source is pointed at another server', async () => {
    const moved = savePostgres('moving', 'disable', server.password);
    expect(moved.hasPassword).toBe(true);
    const elsewhere = registry.save({ ...registry.get(moved.id), host: 'attacker.example' });
    expect(elsewhere.hasPassword).toBe(false);
    // Renamed only, it keeps it.
    const kept = savePostgres('kept', 'disable', server.password);
    expect(registry.save({ ...registry.get(kept.id), name: 'kept, renamed' }).hasPassword).toBe(true);
  });

  it('takes a password from the variable that names the source, and from no other', async () => {
    const fromEnvironment = new SourceRegistry(
      undefined,
      new MemorySecrets({ AUDITSCOPE_SOURCE_PASSWORD_APP_DB: server.password }),
    );
    const named = fromEnvironment.save(appDatabase('app db'));
    const other = fromEnvironment.save(appDatabase('other'));
    expect([named.hasPassword, other.hasPassword]).toEqual([true, false]);
    await expect(fromEnvironment.inspect(named.id)).resolves.toMatchObject({ tables: expect.any(Array) });
    // No password of ours: never PGPASSWORD or ~/.pgpass, so the server refuses.
    process.env.PGPASSWORD = server.password;
    try {
      await expect(fromEnvironment.inspect(other.id)).rejects.toThrow(/password authentication failed/);
    } finally {
      delete process.env.PGPASSWORD;
    }
  });

  it('works for a role that may only SELECT: keyset paging still finds the key', async () => {
    server.psql(
      `CREATE ROLE reader LOGIN PASSWORD 'reader-pw'; GRANT USAGE ON SCHEMA public TO reader;
       GRANT SELECT ON user_activity_log TO reader;`,
      'app',
    );
    const reader = registry.save(appDatabase('reader', 'disable', 'reader'), 'reader-pw');
    const inspected = await registry.inspect(reader.id, 'public.user_activity_log');
    expect(inspected.table?.key).toBe('id');
  });

  it('pages an SQLite table by rowid, skips rows without a time, and leaves a WAL database as it was', async () => {
    const file = temp.file('wal-app.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE events (happened TEXT, who TEXT, what TEXT);
      CREATE VIEW sign_ins AS SELECT happened, who FROM events`);
    const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 12_000; i++)
        insert.run(
          `2024-06-01T10:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:00Z`,
          `u${i % 9}`,
          `act${i}`,
        );
      insert.run(null, 'ghost', 'no time');
    })();
    db.close();
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const source = registry.save({ name: 'wal file', kind: 'sqlite', file, tls: 'disable' });
    const inspected = await registry.inspect(source.id, 'events');
    expect(inspected.table?.key).toBe('__auditscope_rowid');
    const session = await CaseSession.open(temp.file('rowid.auditscope'));
    try {
      const pulled = await registry.pull(
        session,
        source.id,
        'events',
        { time: 'happened', actor: 'who', action: 'what' },
        { limit: 1_000_000 },
      );
      expect(pulled.rows).toBe(12_000);
      expect(pulled.summary.totals).toMatchObject({ accepted: 12_000, duplicates: 0 });
      const text = readFileSync(pulled.file, 'utf8');
      expect(text).not.toContain('__auditscope_rowid');
      expect(text).not.toContain('ghost');
      // A view has no rowid: its rows page by offset, and identical ones (each user's many
      // sign-ins within a minute) are each stored, numbered, whichever page reads them.
      const viewed = await registry.pull(
        session,
        source.id,
        'sign_ins',
        { time: 'happened', actor: 'who' },
        { limit: 1_000_000 },
      );
      expect(viewed.rows).toBe(12_000);
      expect(viewed.summary.totals).toMatchObject({ accepted: 12_000, duplicates: 0 });
    } finally {
      await session.close();
    }
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
  });

  it('reads an SQLite file another application writes, without changing a byte', async () => {
    const file = temp.file('app.sqlite');
    const db = new Database(file);
    db.exec(`CREATE TABLE user_activity_log (id INTEGER PRIMARY KEY, user_id TEXT, activity_type TEXT, ip_address TEXT, details TEXT, created_at TEXT);
             INSERT INTO user_activity_log VALUES (1, 'alice', 'login', '10.1.1.1', '{"browser":"firefox"}', '2024-06-01T10:00:00Z'),
                                                  (2, 'bob', 'export', '10.1.1.2', '{"rows": 5000}', '2024-06-01T10:00:00Z'),
                                                  (3, 'alice', 'logout', '10.1.1.1', NULL, '2024-06-01T11:00:00Z');`);
    db.close();
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const sqlite = registry.save({ name: 'app file', kind: 'sqlite', file, tls: 'disable' });
    const inspected = await registry.inspect(sqlite.id, 'user_activity_log');
    expect(inspected.table).toMatchObject({ key: 'id', proposed: { time: 'created_at', actor: 'user_id' } });
    const session = await CaseSession.open(temp.file('sqlite-pull.auditscope'));
    try {
      const pulled = await registry.pull(
        session,
        sqlite.id,
        'user_activity_log',
        inspected.table?.proposed ?? {},
        { limit: 100 },
      );
      expect(pulled.summary.totals.accepted).toBe(3);
      const first = JSON.parse(readFileSync(pulled.file, 'utf8').split('\n')[0] ?? '') as {
        details: unknown;
      };
      expect(first.details).toEqual({ browser: 'firefox' });
    } finally {
      await session.close();
    }
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
  });
});
