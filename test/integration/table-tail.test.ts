// Following a real PostgreSQL table (a throwaway server started here) while 8 writers commit out
// of order — each transaction takes its time stamp when it starts and commits up to 1.5 s later,
// one in ten rolls back — and the tail's connection is killed again and again
// (pg_terminate_backend). The case must hold exactly the committed rows, once each. The same run
// without the overlap loses rows: proof the test can see the bug it guards against.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { openPostgresReader } from '../../electron/engine/sources/postgres-reader.ts';
import { openCaseForReading } from '../../electron/engine/store/case-db.ts';
import { backoffDelay } from '../../electron/engine/tail/backoff.ts';
import { TableTail, type TableTailOptions } from '../../electron/engine/tail/table-tail.ts';
import { postgresMissing, startPostgres, type TestPostgres } from '../support/postgres.ts';
import { prng } from '../support/prng.ts';
import { REPO_ROOT } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';

const missing = postgresMissing();
if (missing) console.warn(`PostgreSQL table tail tests cannot run: ${missing}`);

const WRITERS = 8;
const WRITE_MS = 8000;

describe('following a PostgreSQL table', () => {
  const temp = tempDir();
  let server: TestPostgres;

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    server = await startPostgres();
    server.psql('CREATE DATABASE app');
  }, 60_000);
  afterAll(() => {
    server?.stop();
    temp.cleanup();
  });

  /** A read-only reader on the test server's `app` database, as a tail opens one. */
  const readApp = () => openPostgresReader(server.target('app'));

  const client = async (): Promise<pg.Client> => {
    const c = new pg.Client({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
      database: 'app',
    });
    await c.connect();
    return c;
  };

  /** Writers committing out of order for WRITE_MS while the tail runs; its connection is killed every 1.5 s. */
  async function run(table: string, overlapMs: number) {
    server.psql(
      `CREATE TABLE ${table} (id bigserial PRIMARY KEY, event_uuid uuid NOT NULL, actor text, action text,
         created_at timestamptz NOT NULL DEFAULT now())`,
      'app',
    );
    const session = await CaseSession.open(temp.file(`${table}.auditscope`));
    const started = new Date(Date.now() - 1000).toISOString();
    const tail = new TableTail(session, {
      connect: readApp,
      table: `public.${table}`,
      mapping: { time: 'created_at', actor: 'actor', action: 'action', requestId: 'event_uuid' },
      overlapMs,
      pollMs: 200,
      backoffBaseMs: 100,
      backoffCapMs: 1000,
      from: started,
      // Small pages: a poll reads several, the next one while the last is stored (then killed).
      pageRows: 7,
    }).start();
    const committed = new Set<string>();
    const rolledBack = new Set<string>();
    const random = prng(table.length);
    const deadline = Date.now() + WRITE_MS;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      const c = await client();
      while (Date.now() < deadline) {
        const uuid = randomUUID();
        await c.query('BEGIN');
        await c.query(`INSERT INTO ${table} (event_uuid, actor, action) VALUES ($1, $2, 'record.update')`, [
          uuid,
          `writer${w}`,
        ]);
        await new Promise((r) => setTimeout(r, random() * 1500));
        if (random() < 0.1) {
          await c.query('ROLLBACK');
          rolledBack.add(uuid);
        } else {
          await c.query('COMMIT');
          committed.add(uuid);
        }
      }
      await c.end();
    });
    const killer = (async () => {
      const admin = await client();
      let kills = 0;
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1500));
        const killed = await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'auditscope (read-only)'",
        );
        kills += killed.rowCount ?? 0;
      }
      await admin.end();
      return kills;
    })();
    await Promise.all(writers);
    const kills = await killer;
    // Caught up: every committed row's time is behind the cursor by more than a poll or two.
    await new Promise((r) => setTimeout(r, 1500));
    const spools = () => readdirSync(`${session.path}.tail`).length;
    const quiet = spools();
    await new Promise((r) => setTimeout(r, 1500));
    // Polls that find only rows already stored store nothing (no spool, no import).
    const quietAfter = spools();
    const status = await tail.stop();
    await session.close();
    const db = openCaseForReading(session.path);
    const stored = db.prepare('SELECT request_id FROM events').pluck().all() as string[];
    db.close();
    return { committed, rolledBack, stored, status, kills, quiet, quietAfter };
  }

  it('stores every committed row exactly once across out-of-order commits and killed connections', async () => {
    const { committed, rolledBack, stored, status, kills, quiet, quietAfter } = await run('activity', 3000);
    expect(quietAfter).toBe(quiet);
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(committed.size).toBeGreaterThan(50);
    expect(new Set(stored).size).toBe(stored.length);
    expect(new Set(stored)).toEqual(committed);
    expect(stored.some((u) => rolledBack.has(u))).toBe(false);
    // Past twice the overlap, polls asked for new and missing keys only, writers still writing.
    expect(status.keyedPolls).toBeGreaterThan(10);
  }, 60_000);

  it('loses rows without the overlap (the test sees the bug)', async () => {
    const { committed, stored } = await run('activity_no_overlap', 0);
    const missed = [...committed].filter((u) => !stored.includes(u));
    expect(missed.length).toBeGreaterThan(0);
  }, 60_000);

  /** A tail with a short overlap (polls by key after 1 s) over a fresh table keyed by `sequence`. */
  async function keyedTail(table: string, sequence = `${table}_ids`) {
    server.psql(
      `CREATE SEQUENCE IF NOT EXISTS ${sequence};
       CREATE TABLE ${table} (id bigint PRIMARY KEY DEFAULT nextval('${sequence}'), username text, action text,
         created_at timestamptz NOT NULL DEFAULT clock_timestamp());
       ALTER SEQUENCE ${sequence} OWNED BY ${table}.id;`,
      'app',
    );
    const session = await CaseSession.open(temp.file(`${table}.auditscope`));
    const tail = new TableTail(session, {
      connect: readApp,
      table: `public.${table}`,
      mapping: { time: 'created_at', actor: 'username', action: 'action' },
      overlapMs: 500,
      pollMs: 100,
      from: new Date(Date.now() - 1000).toISOString(),
    }).start();
    const write = async (rows: number, name: string) => {
      for (let i = 0; i < rows; i++) {
        server.psql(`INSERT INTO ${table} (username, action) VALUES ('${name}${i}', 'login')`, 'app');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const stored = async () => {
      const status = await tail.stop();
      await session.close();
      const db = openCaseForReading(session.path);
      const actors = db.prepare('SELECT actor_name FROM events').pluck().all() as string[];
      db.close();
      return { status, actors };
    };
    return { tail, write, stored };
  }

  /** A tail of `public.<table>` into a case of its own, polled by the test (`step`). */
  async function steppedTail(table: string, options: Partial<TableTailOptions> = {}) {
    const session = await CaseSession.open(temp.file(`${table}.auditscope`));
    const tail = new TableTail(session, {
      connect: readApp,
      table: `public.${table}`,
      mapping: { time: 'created_at', actor: 'username' },
      pollMs: 0,
      ...options,
    });
    const done = async () => {
      await tail.stop();
      await session.close();
    };
    return { session, tail, done };
  }

  it('polls by key once a sequence is known, and reads the window again when its keys are reset', async () => {
    const { tail, write, stored } = await keyedTail('reset_audit');
    await write(40, 'before');
    // Read before the retention job deletes them (rows deleted unread are for no tail to find).
    await expect.poll(() => tail.status.events, { timeout: 10_000 }).toBe(40);
    expect(tail.status.keyedPolls).toBeGreaterThan(0);
    // A retention job empties the table and restarts its keys: every new key is below those seen.
    server.psql('TRUNCATE reset_audit RESTART IDENTITY', 'app');
    await write(20, 'after');
    await new Promise((r) => setTimeout(r, 2500));
    const { actors } = await stored();
    expect(actors.filter((a) => a.startsWith('before'))).toHaveLength(40);
    expect(new Set(actors.filter((a) => a.startsWith('after')))).toEqual(
      new Set(Array.from({ length: 20 }, (_, i) => `after${i}`)),
    );
  }, 60_000);

  it('reads by key the rows dated before its window: a clock set back an hour, a backdated insert', async () => {
    const { tail, write, stored } = await keyedTail('setback_audit');
    await write(30, 'before');
    await expect.poll(() => tail.status.keyedPolls, { timeout: 10_000 }).toBeGreaterThan(0);
    // The application's clock falls back an hour (as a column without a zone does when daylight
    // saving ends), and a job inserts a record dated last year: both before the overlap window.
    for (let i = 0; i < 10; i++)
      server.psql(
        `INSERT INTO setback_audit (username, action, created_at)
           VALUES ('setback${i}', 'login', clock_timestamp() - interval '1 hour')`,
        'app',
      );
    server.psql(
      `INSERT INTO setback_audit (username, action, created_at) VALUES ('backdated', 'login', '2025-06-01 00:00:00+00')`,
      'app',
    );
    await write(5, 'after');
    await expect.poll(() => tail.status.events, { timeout: 10_000 }).toBe(46);
    const { actors } = await stored();
    expect(actors.filter((a) => a.startsWith('setback'))).toHaveLength(10);
    expect(actors.filter((a) => a === 'backdated' || a.startsWith('after'))).toHaveLength(6);
    expect(new Set(actors).size).toBe(46);
  }, 60_000);

  it('never polls by key a sequence that hands out cached blocks of keys (out of order)', async () => {
    server.psql('CREATE SEQUENCE cached_ids CACHE 10', 'app');
    const { write, stored } = await keyedTail('cached_audit', 'cached_ids');
    await write(30, 'row');
    await new Promise((r) => setTimeout(r, 1000));
    const { status, actors } = await stored();
    expect(actors).toHaveLength(30);
    expect(status.keyedPolls).toBe(0);
  }, 60_000);

  it('resumes after a restart from what it stored, rows committed meanwhile included', async () => {
    server.psql(
      `CREATE TABLE restart_audit (id serial PRIMARY KEY, username text, action text, created_at timestamptz NOT NULL DEFAULT now())`,
      'app',
    );
    const source = {
      name: 'app',
      connect: readApp,
    };
    const mapping = { time: 'created_at', actor: 'username', action: 'action' };
    const casePath = temp.file('restart.auditscope');
    const count = () => {
      const db = openCaseForReading(casePath);
      try {
        return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
      } finally {
        db.close();
      }
    };
    const waitFor = async (n: number) => {
      for (let i = 0; i < 100 && count() < n; i++) await new Promise((r) => setTimeout(r, 200));
    };
    let session = await CaseSession.open(casePath);
    // Rows an hour old, followed from the start of the table.
    server.psql(
      "INSERT INTO restart_audit (username, action, created_at) VALUES ('a', 'login', now() - interval '60 minutes'), ('b', 'login', now() - interval '59 minutes')",
      'app',
    );
    await session.followTable(source, 'public.restart_audit', mapping, { fromStart: true, ruleFolders: [] });
    await waitFor(2);
    await session.close(); // stops the tail
    server.psql(
      // Committed while nothing followed, stamped long before the restart (far past the overlap).
      "INSERT INTO restart_audit (username, action, created_at) VALUES ('c', 'export', now() - interval '50 minutes'), ('d', 'delete', now() - interval '40 minutes')",
      'app',
    );
    session = await CaseSession.open(casePath);
    await session.followTable(source, 'public.restart_audit', mapping, { fromStart: false, ruleFolders: [] });
    await waitFor(4);
    server.psql("INSERT INTO restart_audit (username, action) VALUES ('e', 'logout')", 'app');
    await waitFor(5);
    await session.close();
    expect(count()).toBe(5);
  }, 60_000);

  it('is followed from the command line into a case, the password from the environment, and resumed', async () => {
    server.psql(
      `CREATE TABLE cli_audit (id serial PRIMARY KEY, username text, action text, created_at timestamptz NOT NULL DEFAULT now());
       INSERT INTO cli_audit (username, action) VALUES ('alice', 'login'), ('bob', 'export');`,
      'app',
    );
    const casePath = temp.file('cli-tail.auditscope');
    /** `auditscope tail` into the case until it printed `n` events, then interrupted. */
    const follow = async (extra: string[], n: number, meanwhile?: () => void) => {
      const child = spawn(
        process.execPath,
        [
          path.join(REPO_ROOT, 'electron/cli/bin.js'),
          'tail',
          '--source',
          `postgres://${server.user}@${server.host}:${server.port}/app?sslmode=disable`,
          '--table',
          'public.cli_audit',
          '--case',
          casePath,
          '--overlap',
          '1s',
          '--format',
          'ndjson',
          ...extra,
        ],
        { env: { ...process.env, AUDITSCOPE_FROM_SOURCE: '1', AUDITSCOPE_PASSWORD: server.password } },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const events = () =>
        out
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as { actor: { name?: string }; action: string })
          .map((e) => [e.actor.name, e.action]);
      const until = async (count: number) => {
        for (let i = 0; i < 150 && events().length < count && child.exitCode === null; i++)
          await new Promise((r) => setTimeout(r, 100));
        if (child.exitCode !== null) throw new Error(`tail exited: ${err}`);
      };
      await until(n - (meanwhile ? 1 : 0));
      meanwhile?.();
      await until(n);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(err).not.toContain(server.password);
      return { events: events(), err };
    };
    const first = await follow(['--from-start'], 3, () =>
      server.psql("INSERT INTO cli_audit (username, action) VALUES ('carol', 'delete')", 'app'),
    );
    expect(first.events).toEqual([
      ['alice', 'login'],
      ['bob', 'export'],
      ['carol', 'delete'],
    ]);
    expect(first.err).toContain('3 events stored');
    // Committed while no tail ran, longer ago than the overlap when the next one starts: found
    // because it resumes after what the case stored, not from now.
    server.psql("INSERT INTO cli_audit (username, action) VALUES ('dave', 'logout')", 'app');
    await new Promise((r) => setTimeout(r, 2000));
    const second = await follow([], 1);
    expect(second.events).toContainEqual(['dave', 'logout']);
    expect(second.err).toContain('1 events stored');
  }, 60_000);

  it('shows a poll the server does not answer as stalled, then reconnects when it times out', async () => {
    server.psql(
      `CREATE TABLE locked_audit (id serial PRIMARY KEY, username text, action text, created_at timestamptz NOT NULL DEFAULT now());
       INSERT INTO locked_audit (username, action) VALUES ('a', 'login');`,
      'app',
    );
    const session = await CaseSession.open(temp.file('stall.auditscope'));
    const states: string[] = [];
    const tail = new TableTail(session, {
      // A statement times out after 1.5 s on the server; a poll unanswered for 0.5 s is stalled.
      connect: () => openPostgresReader({ ...server.target('app'), statementTimeoutMs: 1500 }),
      table: 'public.locked_audit',
      mapping: { time: 'created_at', actor: 'username', action: 'action' },
      pollMs: 100,
      stallMs: 500,
      backoffBaseMs: 100,
      backoffCapMs: 200,
      from: '2000-01-01T00:00:00Z',
    });
    tail.onUpdate((status) => {
      if (states.at(-1) !== status.state) states.push(status.state);
    });
    tail.start();
    const locker = await client();
    try {
      await expect.poll(() => tail.status.events, { timeout: 10_000 }).toBe(1);
      // Another session takes the table: the tail's SELECT waits on the lock, unanswered.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE locked_audit IN ACCESS EXCLUSIVE MODE');
      await expect.poll(() => states.includes('stalled'), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => states.includes('reconnecting'), { timeout: 10_000 }).toBe(true);
      expect(tail.status.lastError).toMatch(/statement timeout/);
      await locker.query('COMMIT');
      server.psql("INSERT INTO locked_audit (username, action) VALUES ('b', 'logout')", 'app');
      await expect.poll(() => tail.status.events, { timeout: 10_000 }).toBe(2);
      expect(tail.status.state).toBe('live');
      expect(states.slice(0, 4)).toEqual(['live', 'stalled', 'reconnecting', 'live']);
    } finally {
      await locker.end();
      await tail.stop();
      await session.close();
    }
  }, 60_000);

  it('polls at once when the application NOTIFYs its channel (a hint: polls go on without it)', async () => {
    server.psql(
      `CREATE TABLE notified_audit (id serial PRIMARY KEY, username text, action text, created_at timestamptz NOT NULL DEFAULT now())`,
      'app',
    );
    const session = await CaseSession.open(temp.file('notify.auditscope'));
    const tail = new TableTail(session, {
      connect: readApp,
      table: 'public.notified_audit',
      mapping: { time: 'created_at', actor: 'username', action: 'action' },
      // Polls so rare that only a notification can bring a row within this test.
      pollMs: 60_000,
      // A name that must be quoted as an identifier.
      wakeChannel: 'audit-wake',
      from: '2000-01-01T00:00:00Z',
    });
    try {
      await tail.step(); // connects and listens, as the first poll does
      tail.start();
      server.psql("INSERT INTO notified_audit (username, action) VALUES ('a', 'login')", 'app');
      await new Promise((r) => setTimeout(r, 1000));
      expect(tail.status.events).toBe(0); // written, not announced: waits for the next poll
      server.psql(`NOTIFY "audit-wake", 'new rows'`, 'app');
      await expect.poll(() => tail.status.events, { timeout: 5000 }).toBe(1);
      server.psql(
        `INSERT INTO notified_audit (username, action) VALUES ('b', 'logout'); NOTIFY "audit-wake";`,
        'app',
      );
      await expect.poll(() => tail.status.events, { timeout: 5000 }).toBe(2);
    } finally {
      await tail.stop();
      await session.close();
    }
  }, 30_000);

  it('polls all the same when it cannot listen on the channel', async () => {
    server.psql(
      `CREATE TABLE unheard_audit (id serial PRIMARY KEY, username text, created_at timestamptz NOT NULL DEFAULT now());
       INSERT INTO unheard_audit (username) VALUES ('a')`,
      'app',
    );
    const { tail, done } = await steppedTail('unheard_audit', {
      connect: async () => {
        // As when the role may open only one connection, or a pooler drops LISTEN.
        const reader = await readApp();
        reader.listen = () => Promise.reject(new Error('too many connections for role "auditor"'));
        return reader;
      },
      wakeChannel: 'audit-wake',
      from: '2000-01-01T00:00:00Z',
    });
    try {
      await tail.step();
      expect(tail.status).toMatchObject({ state: 'live', events: 1 });
      expect(tail.status.lastError).toMatch(/not listening on audit-wake: too many connections/);
      server.psql("INSERT INTO unheard_audit (username) VALUES ('b')", 'app');
      await tail.step();
      expect(tail.status).toMatchObject({ state: 'live', events: 2 });
    } finally {
      await done();
    }
  }, 30_000);

  it('reads wide rows in pages bounded by bytes, not only by rows', async () => {
    // ~8 KB a row: a page of 10,000 would hold ~80 MB; pages are sized to ~16 MiB of rows.
    const wide = (rows: number) =>
      server.psql(
        `INSERT INTO wide_audit (username, payload) SELECT 'user' || g, repeat('x', 8000) FROM generate_series(1, ${rows}) g`,
        'app',
      );
    server.psql(
      `CREATE TABLE wide_audit (id bigserial PRIMARY KEY, username text, payload text,
         created_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
      'app',
    );
    wide(2500);
    const session = await CaseSession.open(temp.file('wide.auditscope'));
    const tail = new TableTail(session, {
      connect: readApp,
      table: 'public.wide_audit',
      mapping: { time: 'created_at', actor: 'username' },
      overlapMs: 500,
      from: '2000-01-01T00:00:00Z',
    });
    const spoolLines = () =>
      readdirSync(`${session.path}.tail`)
        .sort()
        .map(
          (name) =>
            readFileSync(path.join(`${session.path}.tail`, name), 'utf8')
              .trimEnd()
              .split('\n').length,
        );
    try {
      // Before any row is read, a page is 10,000 rows: the first poll reads all 2,500 at once.
      await tail.step();
      expect(spoolLines()).toEqual([2500]);
      wide(5000);
      await tail.step();
      const later = spoolLines().slice(1);
      // 16 MiB / ~8,080 bytes a row (as JSON): about 2,080 rows a page.
      expect(later.length).toBeGreaterThanOrEqual(3);
      for (const lines of later) expect(lines).toBeLessThanOrEqual(2100);
      expect(later.reduce((a, b) => a + b, 0)).toBe(5000);
      expect(tail.status.events).toBe(7500);
    } finally {
      await tail.stop();
      await session.close();
    }
  }, 60_000);

  it('stores a quiet table’s rows once, even one a fraction of a millisecond inside its window', async () => {
    // The window starts at the cursor less the overlap, bounded to the millisecond: 12:00:00.000
    // here, and the first row is at .000200, before the cursor less the overlap (.000500).
    server.psql(
      `CREATE TABLE quiet_audit (id bigserial PRIMARY KEY, username text, created_at timestamptz NOT NULL);
       INSERT INTO quiet_audit (username, created_at) VALUES
         ('early', '2024-01-01 12:00:00.000200+00'), ('late', '2024-01-01 12:00:00.500500+00')`,
      'app',
    );
    const { session, tail, done } = await steppedTail('quiet_audit', {
      overlapMs: 500,
      from: '2024-01-01T11:59:00Z',
    });
    const spools = () =>
      readdirSync(`${session.path}.tail`).filter((f) => f.startsWith('public.quiet_audit-'));
    try {
      await tail.step();
      expect(tail.status.events).toBe(2);
      expect(spools()).toHaveLength(1);
      for (let i = 0; i < 3; i++) await tail.step();
      // Nothing new: no batch spooled and stored again for a row the tail had forgotten.
      expect(spools()).toHaveLength(1);
      expect(tail.status.events).toBe(2);
    } finally {
      await done();
    }
  }, 30_000);

  it('reads on past a row dated in the future or at infinity, and starts from the server’s clock', async () => {
    server.psql(
      `CREATE TABLE skewed_audit (id bigserial PRIMARY KEY, username text,
         created_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
      'app',
    );
    // From now: the server's clock, not this machine's (here the same machine: within seconds).
    const { session, tail, done } = await steppedTail('skewed_audit', { overlapMs: 500 });
    const write = (sql: string) =>
      server.psql(`INSERT INTO skewed_audit (username, created_at) ${sql}`, 'app');
    try {
      await tail.step();
      expect(Math.abs(Date.parse(tail.status.cursor ?? '') - Date.now())).toBeLessThan(5000);
      write(`VALUES ('before', clock_timestamp())`);
      await tail.step();
      // A skewed clock (or a forged record) and a time that is no instant.
      write(`VALUES ('future', '2030-01-01 00:00:00+00'), ('endless', 'infinity')`);
      await tail.step();
      expect(tail.status.state).toBe('live');
      expect(Date.parse(tail.status.cursor ?? '')).toBeLessThan(Date.now() + 5000);
      write(`VALUES ('after', clock_timestamp())`);
      await tail.step();
      await tail.step();
      expect(tail.status).toMatchObject({ state: 'live', events: 3, rejected: 1 });
    } finally {
      await done();
    }
    const db = openCaseForReading(session.path);
    const actors = db.prepare('SELECT actor_name FROM events ORDER BY actor_name').pluck().all();
    db.close();
    expect(actors).toEqual(['after', 'before', 'future']);
  }, 30_000);

  it('follows from now a time column without a zone, whatever zone the application writes it in', async () => {
    // Wall-clock times in New York (west of UTC), in UTC and in Tokyo (east of it), as an
    // application whose sessions run in that zone writes them with `localtimestamp`.
    for (const [table, zone] of [
      ['west_audit', 'America/New_York'],
      ['utc_audit', 'UTC'],
      ['east_audit', 'Asia/Tokyo'],
    ] as const) {
      const insert = (values: string) =>
        server.psql(`SET TimeZone = '${zone}'; INSERT INTO ${table} (username, created_at) ${values}`, 'app');
      server.psql(
        `CREATE TABLE ${table} (id bigserial PRIMARY KEY, username text, created_at timestamp NOT NULL)`,
        'app',
      );
      // In UTC, a writer whose clock runs 2 hours ahead wrote 60 rows a while ago, before 100 by
      // the others: the newest rows by time are all its own, but not the last inserted.
      if (zone === 'UTC') {
        insert(`SELECT 'drift' || g, localtimestamp + interval '2 hours' FROM generate_series(1, 60) g`);
        insert(`SELECT 'busy' || g, localtimestamp FROM generate_series(1, 100) g`);
      }
      insert(`VALUES ('old', localtimestamp - interval '1 hour'), ('recent', localtimestamp)`);
      // In UTC, a row dated 10 hours ahead is already there: the median of the newest rows, not
      // the newest, tells where the application's clock stands.
      if (zone === 'UTC') insert(`VALUES ('skewed', localtimestamp + interval '10 hours')`);
      const { tail, done, session } = await steppedTail(table);
      try {
        await tail.step();
        // A row dated 10 hours ahead (a skewed clock) does not take the window along past the
        // server's clock. (West of UTC that clock is hours ahead of the application's: there it
        // would, the limit the README names.)
        if (zone !== 'America/New_York') insert(`VALUES ('future', localtimestamp + interval '10 hours')`);
        await tail.step();
        insert(`SELECT 'after' || g, localtimestamp FROM generate_series(1, 20) g`);
        await tail.step();
      } finally {
        await done();
      }
      const db = openCaseForReading(session.path);
      const actors = db.prepare('SELECT actor_name FROM events').pluck().all() as string[];
      db.close();
      const stored = (prefix: string) => actors.filter((a) => a.startsWith(prefix)).length;
      expect(stored('after')).toBe(20);
      expect(stored('future')).toBe(zone === 'America/New_York' ? 0 : 1);
      expect(stored('skewed')).toBe(zone === 'UTC' ? 1 : 0);
      expect([stored('drift'), stored('busy')]).toEqual(zone === 'UTC' ? [60, 100] : [0, 0]);
      // Within the overlap before the tail started, as with a column with a zone.
      expect(stored('recent')).toBe(1);
      // East of UTC every row is dated after the server's clock, an hour ago too: the newest
      // rows tell how far ahead the application's clock runs, so that one is not read again.
      expect(stored('old')).toBe(0);
    }
  }, 30_000);

  it('reads every row of a table without a key, many of one time, across small pages', async () => {
    server.psql(
      `CREATE TABLE keyless_audit (username text, action text, created_at timestamptz NOT NULL);
       INSERT INTO keyless_audit SELECT 'user' || g, 'login', '2024-01-01 12:00:00+00' FROM generate_series(1, 400) g;
       INSERT INTO keyless_audit SELECT 'late' || g, 'login', '2024-01-01 12:00:01+00' FROM generate_series(1, 40) g;
       -- The same user doing the same thing twice within the clock's resolution: identical rows.
       INSERT INTO keyless_audit SELECT 'twice', 'login', '2024-01-01 12:00:00+00' FROM generate_series(1, 9) g`,
      'app',
    );
    const { tail, done, session } = await steppedTail('keyless_audit', {
      mapping: { time: 'created_at', actor: 'username', action: 'action' },
      pageRows: 7,
      from: '2024-01-01T11:59:00Z',
    });
    try {
      await tail.step();
      expect(tail.status).toMatchObject({ state: 'live', events: 449 });
      // One more identical row commits: it is stored; the nine read again are not.
      server.psql(`INSERT INTO keyless_audit VALUES ('twice', 'login', '2024-01-01 12:00:00+00')`, 'app');
      await tail.step();
      expect(tail.status).toMatchObject({ events: 450 });
    } finally {
      await done();
    }
    const db = openCaseForReading(session.path);
    const copies = db
      .prepare(
        `SELECT json_extract(raw, '$.auditscope_copy') FROM events WHERE actor_name = 'twice' ORDER BY 1`,
      )
      .pluck()
      .all();
    db.close();
    expect(copies).toEqual([null, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  }, 30_000);

  it('reads again, and stores, pages the case failed to store: nothing lost, nothing twice', async () => {
    server.psql(
      `CREATE TABLE flaky_audit (id bigserial PRIMARY KEY, username text,
         created_at timestamptz NOT NULL DEFAULT clock_timestamp());
       INSERT INTO flaky_audit (username) SELECT 'user' || g FROM generate_series(1, 50) g`,
      'app',
    );
    const session = await CaseSession.open(temp.file('flaky.auditscope'));
    // The case cannot store the second page (as when its disk is full): its transaction rolls
    // back, while the page after it is being read (it comes in after the failure).
    const other = new Database(session.path);
    other.exec(`CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.actor_name = 'user15'
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    let reads = 0;
    const tail = new TableTail(session, {
      connect: async () => {
        // The third page comes late, after the second failed to be stored.
        const reader = await readApp();
        const rows = reader.rows.bind(reader);
        reader.rows = async (table, options) => {
          const page = await rows(table, options);
          if (++reads === 3) await new Promise((r) => setTimeout(r, 500));
          return page;
        };
        return reader;
      },
      table: 'public.flaky_audit',
      mapping: { time: 'created_at', actor: 'username' },
      overlapMs: 500,
      from: '2000-01-01T00:00:00Z',
      pageRows: 10,
      backoffBaseMs: 10,
      backoffCapMs: 20,
    });
    try {
      await tail.step();
      expect(tail.status).toMatchObject({ state: 'reconnecting', events: 10 });
      expect(tail.status.lastError).toMatch(/disk is full/);
      other.exec('DROP TRIGGER refuse');
      await new Promise((r) => setTimeout(r, 600));
      await tail.step();
      expect(tail.status).toMatchObject({ state: 'live', events: 50 });
    } finally {
      other.close();
      await tail.stop();
      await session.close();
    }
    const db = openCaseForReading(session.path);
    const actors = db.prepare('SELECT actor_name FROM events').pluck().all() as string[];
    db.close();
    expect(actors.toSorted()).toEqual(Array.from({ length: 50 }, (_, i) => `user${i + 1}`).toSorted());
  }, 30_000);

  it('backs off with full jitter within a capped, doubling envelope', () => {
    const random = prng(3);
    for (let attempt = 0; attempt < 1000; attempt++) {
      const envelope = Math.min(30_000, 500 * 2 ** attempt);
      const delay = backoffDelay(attempt, 500, 30_000, random);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(envelope);
    }
    const capped = Array.from({ length: 2000 }, () => backoffDelay(20, 500, 30_000, random));
    const mean = capped.reduce((a, b) => a + b, 0) / capped.length;
    expect(mean).toBeGreaterThan(13_000);
    expect(mean).toBeLessThan(17_000);
  });
});
