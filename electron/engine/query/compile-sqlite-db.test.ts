import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventQuery, Filter } from '../../../shared/domain/query.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import { compileSqlite } from './compile-sqlite.ts';
import { registerSqlFunctions } from './ip-match.ts';
import { ADVERSARIAL_VALUES } from '../../../test/support/adversarial-values.ts';

const T0 = 1_704_067_200_000_000; // 2024-01-01T00:00:00Z in µs
const minute = (n: number): number => T0 + n * 60_000_000;

type Row = Partial<
  Record<
    | 'source'
    | 'action'
    | 'category'
    | 'outcome'
    | 'actor_id'
    | 'actor_name'
    | 'actor_email'
    | 'actor_type'
    | 'target_type'
    | 'target_id'
    | 'target_name'
    | 'ip'
    | 'user_agent'
    | 'session_id'
    | 'request_id'
    | 'severity'
    | 'message',
    string
  >
>;

/** [columns, raw record (object → JSON text, string → as is), parsed document for non-JSON raw]. */
const ROWS: Array<[Row, unknown, unknown?]> = [
  /* 1 */ [
    {
      actor_name: 'alice',
      actor_email: 'alice@example.com',
      actor_id: 'AIDA1',
      action: 'iam.CreateUser',
      category: 'iam',
      ip: '10.1.2.3',
      target_name: 'bob',
      target_type: 'user',
      severity: '3',
    },
    {
      eventName: 'CreateUser',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111:user/alice' },
      requestParameters: { userName: 'bob' },
      tags: ['prod', 'pci'],
      count: 5,
      mfa: true,
    },
  ],
  /* 2 */ [
    { actor_name: 'bob', action: 'iam.DeleteUser', outcome: 'failure', ip: '10.200.0.1', severity: '5' },
    {
      eventName: 'DeleteUser',
      userIdentity: { arn: 'arn:aws:iam::111:user/bob' },
      tags: ['dev'],
      count: 12,
      mfa: false,
    },
  ],
  /* 3 */ [
    {
      actor_name: 'Carol',
      actor_email: 'carol@example.com',
      action: 's3.GetObject',
      ip: '2001:db8::1',
      message: 'download 100% complete',
    },
    { eventName: 'GetObject', requestParameters: { bucketName: 'logs' }, note: 'download 100% complete' },
  ],
  /* 4 */ [
    {
      actor_id: 'AIDA4',
      action: 's3.PutObject',
      outcome: 'failure',
      ip: '08.1.250.216',
      message: 'progress 100 percent',
    },
    { eventName: 'PutObject', requestParameters: { bucketName: 'Backups' }, note: 'progress 100 percent' },
  ],
  /* 5 */ [{ action: 'system.boot', outcome: 'unknown', severity: 'high' }, { eventName: 'Boot' }],
  /* 6 */ [
    {
      actor_name: 'dave',
      source: 'okta',
      action: 'okta.login',
      ip: '192.168.1.10',
      user_agent: 'curl/8.0',
      session_id: 's-1',
      message: 'user 1000 logged in',
    },
    {
      eventType: 'user.session.start',
      actor: { alternateId: 'dave@example.com' },
      client: { ipAddress: '192.168.1.10' },
      outcome: { result: 'SUCCESS' },
    },
  ],
  /* 7 */ [
    { actor_name: 'erin', source: 'okta', action: 'okta.login', outcome: 'failure', ip: '2001:db8:1::5' },
    {
      eventType: 'user.session.start',
      outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
      debugContext: { debugData: { threatSuspected: 'true' } },
    },
  ],
  /* 8 */ [
    { actor_name: 'root', source: 'linux.auditd', action: 'user_login', outcome: 'failure', ip: '10.9.9.9' },
    'type=USER_LOGIN msg=audit(1.2:3): acct="root" addr=10.9.9.9 res=failed',
    { type: 'USER_LOGIN', acct: 'root', addr: '10.9.9.9', res: 'failed' },
  ],
  /* 9 */ [{ actor_name: 'a_b', message: 'under_score' }, { note: 'under_score' }],
  /* 10 */ [{ actor_name: 'axb', message: 'underXscore' }, { note: 'underXscore' }],
  /* 11 */ [{ actor_name: "o'brien", message: "' OR 1=1--" }, { note: "' OR 1=1--" }],
  /* 12 */ [{ message: 'NEAR(alpha beta)' }, { note: 'NEAR(alpha beta)' }],
  /* 13 */ [{ message: 'alpha gamma beta' }, { note: 'alpha gamma beta' }],
  /* 14 */ [{}, { resources: [{ ARN: 'arn:aws:s3:::logs' }], a: { b: { c: 'deep' } } }],
  /* 15 */ [{}, 'not json at all'],
  /* 16 */ [{ actor_name: 'frank', ip: '::ffff:10.3.3.3' }, { who: 'frank' }],
  /* 17 */ [
    { target_id: 'i-123', target_name: 'web-1', target_type: 'instance', action: 'ec2.StopInstances' },
    { eventName: 'StopInstances' },
  ],
  /* 18 */ [{ actor_email: 'ALICE@EXAMPLE.COM' }, { who: 'ALICE@EXAMPLE.COM' }],
  /* 19 */ [{ severity: '10' }, { level: 10 }],
  /* 20 */ [{ message: "it's 100% done" }, { note: "it's 100% done" }],
  /* 21 */ [{}, { tags: ['PCI', 'prod'] }],
  /* 22 */ [{}, { count: '7' }],
  /* 23 */ [{}, { mfa: 'true' }],
  /* 24 */ [{}, { userIdentity: { arn: 'arn:aws:sts::222:assumed-role/Admin/x' } }],
  /* 25 */ [{}, { a: { b: { c: ['deep', 'deeper'] } } }],
  /* 26 */ [{ ip: '' }, { who: 'nobody' }],
  /* 27 */ [{ ip: 'garbage' }, { who: 'somebody' }],
  /* 28 */ [{ message: 'Alpha' }, { note: 'Alpha' }],
  /* 29 */ [{}, '{"constructor":{"prototype":{"x":1}},"__proto__":{"isAdmin":true}}'],
  /* 30 */ [{}, ['an', 'array', 'record']],
];

const ALL = ROWS.map((_, i) => i + 1);
const except = (...ids: number[]): number[] => ALL.filter((id) => !ids.includes(id));

function openDb(): Database.Database {
  const db = new Database(':memory:');
  registerSqlFunctions(db);
  db.exec(`
    CREATE TABLE events (
      rowid INTEGER PRIMARY KEY, event_id TEXT NOT NULL, time INTEGER NOT NULL, time_original TEXT NOT NULL,
      source TEXT NOT NULL, action TEXT NOT NULL, category TEXT NOT NULL, outcome TEXT NOT NULL,
      actor_id TEXT, actor_name TEXT, actor_email TEXT, actor_type TEXT, target_type TEXT, target_id TEXT, target_name TEXT,
      ip TEXT, user_agent TEXT, session_id TEXT, request_id TEXT, severity TEXT, message TEXT,
      raw TEXT NOT NULL, document TEXT, import_id INTEGER NOT NULL
    ) STRICT;
    CREATE VIRTUAL TABLE events_fts USING fts5(body, content='', contentless_delete=1);
  `);
  const insert =
    db.prepare(`INSERT INTO events (rowid, event_id, time, time_original, source, action, category, outcome,
      actor_id, actor_name, actor_email, actor_type, target_type, target_id, target_name, ip, user_agent, session_id,
      request_id, severity, message, raw, document, import_id)
    VALUES (@rowid, @event_id, @time, @time_original, @source, @action, @category, @outcome, @actor_id, @actor_name,
      @actor_email, @actor_type, @target_type, @target_id, @target_name, @ip, @user_agent, @session_id, @request_id,
      @severity, @message, @raw, @document, 1)`);
  const index = db.prepare('INSERT INTO events_fts (rowid, body) VALUES (?, ?)');
  ROWS.forEach(([row, raw, document], i) => {
    const rowid = i + 1;
    const rawText = typeof raw === 'string' ? raw : JSON.stringify(raw);
    const documentText = document === undefined ? null : JSON.stringify(document);
    insert.run({
      rowid,
      event_id: `e${rowid}`,
      time: minute(rowid),
      time_original: String(minute(rowid)),
      source: 'aws.cloudtrail',
      action: 'other.event',
      category: 'other',
      outcome: 'success',
      actor_id: null,
      actor_name: null,
      actor_email: null,
      actor_type: null,
      target_type: null,
      target_id: null,
      target_name: null,
      ip: null,
      user_agent: null,
      session_id: null,
      request_id: null,
      severity: null,
      message: null,
      ...row,
      raw: rawText,
      document: documentText,
    });
    index.run(rowid, `${rawText} ${documentText ?? ''}`);
  });
  return db;
}

const db = openDb();
afterAll(() => db.close());

function ids(query: EventQuery, ftsReady: boolean): number[] {
  const { where, params } = compileSqlite(query, { ftsReady });
  const rows = db.prepare(`SELECT rowid FROM events WHERE ${where} ORDER BY rowid`).all(...params) as Array<{
    rowid: number;
  }>;
  return rows.map((r) => r.rowid);
}

function search(text: string, ftsReady = true): number[] {
  const parsed = parseSearch(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return ids(parsed.filter === undefined ? {} : { filter: parsed.filter }, ftsReady);
}

describe('compiled SQL against a real events table', () => {
  it.each([
    ['actor:alice', [1]],
    ['actor:ALICE', [1]],
    ['actor:alice@example.com', [1, 18]],
    ['actor:aida4', [4]],
    ['actor.name:carol', [3]],
    ['actor.email:*', [1, 3, 18]],
    ['-actor:alice', except(1)],
    ['action:iam.*', [1, 2]],
    ['action:s3.?etObject', [3]],
    ['action:okta.login', [6, 7]],
    ['outcome:failure', [2, 4, 7, 8]],
    ['-outcome:success', [2, 4, 5, 7, 8]],
    ['NOT (outcome:success OR outcome:failure)', [5]],
    ['(actor:alice OR actor:bob) outcome:failure', [2]],
    ['actor:alice OR (action:okta.* -outcome:failure)', [1, 6]],
    ['source:okta AND -actor.name:erin', [6]],
    ['target:bob', [1]],
    ['target:web-1 target.id:i-123 target.type:INSTANCE', [17]],
    ['userAgent:curl*', [6]],
    ['sessionId:*', [6]],
    ['severity:>4', [2, 19]],
    ['severity:<=3', [1]],
    ['severity:high', [5]],
    [`time:>=${minute(5)} time:<${minute(8)}`, [5, 6, 7]],
    ['time:2024-01-01T00:29:00Z..2024-01-01T00:30:00Z', [29]],
    ['time:>2024-01-01T00:28:00.000001Z', [29, 30]],
    ['ip:10.0.0.0/8', [1, 2, 8, 16]],
    ['ip:8.1.250.0/24', [4]],
    ['ip:2001:db8::/32', [3, 7]],
    ['ip:2001:db8:1::/48', [7]],
    ['-ip:10.0.0.0/8', except(1, 2, 8, 16)],
    ['ip:*', [1, 2, 3, 4, 6, 7, 8, 16, 27]],
    ['ip:10.1.2.3', [1]],
    ['message:*100%*', [3, 20]],
    ['message:*100\\%*', [3, 20]],
    ['message:under_*', [9]],
    ['message:under?score', [9, 10]],
    ['actor.name:a_b', [9]],
    [`actor.name:"o'brien"`, [11]],
    [`actor:"' OR 1=1--"`, []],
  ])('%s', (text, expected) => {
    expect(search(text, true)).toEqual(expected);
    expect(search(text, false)).toEqual(expected);
  });

  it.each([
    ['userIdentity.arn:arn:aws:iam::*', [1, 2]],
    ['userIdentity.arn:*Admin*', [24]],
    ['userIdentity.type:iamuser', [1]],
    ['userIdentity:*', [1, 2, 24]],
    ['requestParameters.bucketName:logs', [3]],
    ['requestParameters.bucketName:backups', [4]],
    ['tags:pci', [1, 21]],
    ['tags:dev', [2]],
    ['tags:pr*', [1, 21]],
    ['-tags:pci', except(1, 21)],
    ['count:5', [1]],
    ['count:>6', [2, 22]],
    ['count:<=5', [1]],
    ['mfa:true', [1, 23]],
    ['mfa:false', [2]],
    ['a.b.c:deep', [14, 25]],
    ['a.b.c:deep*', [14, 25]],
    ['a.b:deep', []],
    ['a.b:*', [14, 25]],
    ['resources.ARN:*', []],
    ['acct:root', [8]],
    ['res:failed outcome:failure', [8]],
    ['addr:10.0.0.0/8', [8]],
    ['client.ipAddress:192.168.0.0/16', [6]],
    ['outcome.result:FAILURE', [7]],
    ['debugContext.debugData.threatSuspected:true', [7]],
    ['missing.path:*', []],
    ['who:*', [16, 18, 26, 27]],
  ])('raw path %s', (text, expected) => {
    expect(search(text, true)).toEqual(expected);
  });

  it('time filter nodes and the query window bound time as [from, to)', () => {
    const window: Filter = { kind: 'time', from: minute(3), to: minute(5) };
    expect(ids({ filter: window }, true)).toEqual([3, 4]);
    expect(ids({ from: minute(29) }, true)).toEqual([29, 30]);
    expect(
      ids(
        {
          filter: { kind: 'field', field: 'outcome', op: 'eq', value: 'failure' },
          from: minute(3),
          to: minute(8),
        },
        true,
      ),
    ).toEqual([4, 7]);
  });

  it.each([
    ['alpha', [12, 13, 28]],
    ['CreateUser', [1]],
    ['deep*', [14, 25]],
    ['root', [8]],
    ['dave', [6]],
    ['"alpha beta"', [12]],
    ['"INVALID_CREDENTIALS"', [7]],
    ['"NEAR(alpha beta)"', [12]],
    [`"' OR 1=1--"`, [11]],
    ['alpha -gamma', [12, 28]],
    ['alpha OR CreateUser', [1, 12, 13, 28]],
  ])('free text %s gives the same rows with and without FTS', (text, expected) => {
    expect(search(text, true)).toEqual(expected);
    expect(search(text, false)).toEqual(expected);
  });

  it.each([
    // [text, rows as bare words, rows as a phrase]
    ['alpha OR gamma', [], []],
    ['alpha NOT beta', [], []],
    ['body:alpha', [], []],
    ['NEAR(alpha beta, 5)', [], []],
    ['alpha AND "x', [], []],
    ['{body}: alpha', [], []],
    ['NEAR(alpha beta)', [12], [12]],
    ['^alpha', [12, 13, 28], [12, 13, 28]],
    ['alpha*', [12, 13, 28], [12, 13, 28]],
    ['alp*', [12, 13, 28], []],
    ['*', [], []],
  ])('FTS operators in free text %j are literal', (text, words, phrase) => {
    expect(ids({ filter: { kind: 'text', text, phrase: false } }, true)).toEqual(words);
    expect(ids({ filter: { kind: 'text', text, phrase: true } }, true)).toEqual(phrase);
  });

  it('runs adversarial values through every predicate kind without SQL errors or surprises', () => {
    const values = ADVERSARIAL_VALUES;
    for (const value of values) {
      const filters: Filter[] = [
        { kind: 'field', field: 'actor', op: 'eq', value },
        { kind: 'field', field: 'message', op: 'glob', value },
        { kind: 'field', field: 'ip', op: 'cidr', value },
        { kind: 'field', field: 'userIdentity.arn', op: 'eq', value },
        { kind: 'field', field: 'tags', op: 'glob', value },
        { kind: 'text', text: value, phrase: false },
        { kind: 'text', text: value, phrase: true },
      ];
      for (const filter of filters) {
        for (const ftsReady of [true, false]) {
          expect(() => ids({ filter }, ftsReady)).not.toThrow();
          expect(ids({ filter: { kind: 'not', child: filter } }, ftsReady).length).toBeGreaterThan(0);
        }
      }
    }
    expect(ids({ filter: { kind: 'field', field: 'actor', op: 'eq', value: "' OR 1=1--" } }, true)).toEqual(
      [],
    );
    expect(ids({ filter: { kind: 'field', field: 'message', op: 'eq', value: "' OR 1=1--" } }, true)).toEqual(
      [11],
    );
    expect(ids({ filter: { kind: 'text', text: '100%', phrase: true } }, false)).toEqual([3, 20]);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 30 });
  });
});
