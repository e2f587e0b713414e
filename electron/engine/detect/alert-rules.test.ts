// Auditscope's own rules (built-in and YAML) over real audit logs, with the events each should
// find written down and why; window semantics on small hand-made sign-in logs; and the same
// alerts whether a case is evaluated at once or import after import (as a live tail feeds it).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset, DATASETS, REPO_ROOT, SIGMA_RULES } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { prng } from '../../../test/support/prng.ts';
import { CaseSession } from '../case-session.ts';
import { openCaseForReading, type CaseDb } from '../store/case-db.ts';
import { builtInRules, DEFAULT_DETECTION_SETTINGS } from '../../../shared/domain/detection-settings.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import type { AlertRule } from '../../../shared/domain/alert.ts';
import { AlertEngine, type RaisedAlert } from './alert-rules.ts';
import { decidedByActivity } from './activity-tests.ts';
import { evaluateRules } from './evaluate-alerts.ts';
import { loadRuleFolder, runRules, SigmaEngine, type LoadedRules } from './run-rules.ts';
import type { DetectionReport } from '../../../shared/domain/detection.ts';
import { parseSigmaFile } from './sigma-rule.ts';

const temp = tempDir();
let session: CaseSession;
let db: CaseDb;
let bundled: LoadedRules;

beforeAll(async () => {
  session = await CaseSession.open(temp.file('datasets.auditscope'));
  await session.import([DATASETS]);
  db = openCaseForReading(session.path);
  bundled = await loadRuleFolder(path.join(REPO_ROOT, 'resources', 'rules'));
}, 120_000);
afterAll(async () => {
  db?.close();
  await session?.close();
  temp.cleanup();
});

/** What a rule found, as "time action actor" lines, in time order. */
function describeEvents(caseDb: CaseDb, ids: readonly string[]): string[] {
  const row = caseDb.prepare(
    `SELECT strftime('%Y-%m-%dT%H:%M:%S', time / 1000000, 'unixepoch') || ' ' || action || ' ' ||
            coalesce(actor_name, actor_email, actor_id, '-') FROM events WHERE event_id = ?`,
  );
  return ids.map((id) => row.pluck().get(id) as string);
}

function resultOf(id: string, loaded: LoadedRules = bundled) {
  const found = evaluateRules(db, loaded).results.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

describe('built-in rules on the real samples', () => {
  it('failed sign-ins then a success: the GitHub account’s four recoveries', () => {
    // github-audit/azure-sentinel-sample: siteshjha11 mistyped a password (or a 2FA code) four
    // times and signed in within a minute or five each time.
    expect(describeEvents(db, resultOf('auditscope.failures-then-success').eventIds)).toEqual([
      '2023-11-27T06:18:25 user.failed_login siteshjha11',
      '2023-11-27T06:18:46 user.sign_in_from_unrecognized_device siteshjha11',
      '2023-11-27T06:18:46 user.login siteshjha11',
      '2024-02-09T12:02:12 user.failed_login siteshjha11',
      '2024-02-09T12:06:46 user.login siteshjha11',
      '2024-03-13T17:03:12 user.failed_login siteshjha11',
      '2024-03-13T17:04:11 user.sign_in_from_unrecognized_device siteshjha11',
      '2024-03-13T17:04:11 user.login siteshjha11',
      '2024-03-26T05:32:57 user.two_factor_challenge_failure siteshjha11',
      '2024-03-26T05:33:15 user.login siteshjha11',
    ]);
  });

  it('privilege changes across Kubernetes, Entra ID, CloudTrail and Okta', () => {
    expect(describeEvents(db, resultOf('auditscope.privilege-change').eventIds)).toEqual([
      '2018-10-26T13:25:18 create clusterrolebindings minikube-user',
      '2018-10-26T14:11:51 patch clusterroles minikube-user',
      '2021-08-02T13:27:20 Add delegated permission grant pgustavo@simulandlabs.com',
      '2024-08-01T13:29:57 iam:UpdateAssumeRolePolicy christophe',
      '2024-08-01T13:37:41 iam:AttachRolePolicy christophe',
      '2025-07-21T14:48:27 user.account.privilege.grant system@okta.com',
    ]);
  });

  it('MFA changes and API keys', () => {
    expect(describeEvents(db, resultOf('auditscope.mfa-change').eventIds)).toEqual([
      '2024-03-26T04:28:38 two_factor_authentication.enabled siteshjha11',
      '2024-03-26T04:28:38 two_factor_authentication.add_factor siteshjha11',
      '2025-07-21T14:48:25 system.mfa.factor.activate system@okta.com',
      '2025-07-21T14:48:26 system.mfa.factor.activate system@okta.com',
      '2025-07-21T14:48:28 system.mfa.factor.activate system@okta.com',
    ]);
    const keys = describeEvents(db, resultOf('auditscope.api-key-change').eventIds);
    expect(keys).toContain('2024-07-30T21:53:13 iam:CreateAccessKey christophe');
    expect(keys).toContain(
      '2021-08-02T13:29:25 Update application – Certificates and secrets management pgustavo@simulandlabs.com',
    );
    expect(keys.filter((k) => k.includes('personal_access_token.'))).toHaveLength(8);
    expect(keys).toHaveLength(10);
  });

  it('stay silent where the samples hold no attack: brute force, spraying, lockouts, bulk exports', () => {
    // The samples' failed sign-ins are one or two at a time (GitHub, one auditd ssh attempt), far
    // below the default thresholds; nobody is locked out; the few exports are days apart.
    for (const id of [
      'auditscope.suspicious-ip',
      'auditscope.targeted-account',
      'auditscope.password-spraying',
      'auditscope.account-lockout',
      'auditscope.bulk-export',
    ])
      expect(resultOf(id).matches, id).toBe(0);
  });

  it('use the case’s thresholds: more than one failure in a day targets the GitHub account', () => {
    const rules = builtInRules({ ...DEFAULT_DETECTION_SETTINGS, accountFailuresAbove: 1 });
    const engine = new AlertEngine(rules.filter((r) => r.id === 'auditscope.targeted-account'));
    engine.advance(db);
    const [alert, ...others] = engine.alerts();
    expect(others).toEqual([]);
    expect(alert?.entity).toEqual({ fields: ['actor'], values: ['siteshjha11'] });
    expect(
      describeEvents(
        db,
        (alert?.events ?? []).map((e) => e.id),
      ),
    ).toEqual([
      '2024-01-29T16:05:09 user.failed_login siteshjha11',
      '2024-01-29T16:05:19 user.failed_login siteshjha11',
    ]);
  });

  it('every built-in search parses', () => {
    for (const rule of builtInRules(DEFAULT_DETECTION_SETTINGS))
      for (const search of [rule.search, ...(rule.steps ?? []).map((s) => s.search)].filter(Boolean))
        expect(parseSearch(search as string).ok, `${rule.id}: ${search}`).toBe(true);
  });
});

describe('bundled YAML rules on the real samples', () => {
  it('find what their comments say', () => {
    expect(describeEvents(db, resultOf('auditscope.github-token-burst').eventIds)).toEqual([
      '2024-03-13T10:51:23 personal_access_token.create siteshjha11',
      '2024-03-13T11:06:38 personal_access_token.create siteshjha11',
      '2024-03-13T11:09:31 personal_access_token.create siteshjha11',
    ]);
    expect(describeEvents(db, resultOf('auditscope.k8s-serviceaccount-bound').eventIds)).toEqual([
      '2018-10-26T13:19:22 create serviceaccounts minikube-user',
      '2018-10-26T13:25:18 create clusterrolebindings minikube-user',
    ]);
    const sweep = resultOf('auditscope.aws-secrets-sweep');
    expect(sweep.matches).toBe(30);
    // The same 30 events the Sigma value_count rule of the same idea finds.
    expect([...sweep.eventIds].sort()).toEqual(
      [...resultOf('7c2a4f7e-3e1b-4d0a-9a51-0c1f0f6e2a07').eventIds].sort(),
    );
  });

  it('report rules that cannot run, with the reason', () => {
    const bad = (yaml: string): string => {
      const [item] = parseSigmaFile(yaml, 'bad.yml');
      if (!item || 'kind' in item) throw new Error('expected a refusal');
      return item.reason;
    };
    expect(bad('title: t\ntype: counting\nsearch: a')).toMatch(/type counting is not one of/);
    expect(bad('title: t\ntype: threshold\nsearch: kind:login\nthreshold: 5\nwithin: soon')).toMatch(
      /within soon/,
    );
    expect(bad('title: t\ntype: threshold\nsearch: kind:login\nwithin: 1h')).toMatch(/threshold/);
    expect(bad('title: t\ntype: event\nsearch: (action:x')).toMatch(/search/);
    expect(bad('title: t\ntype: distinct\nsearch: a\nthreshold: 2\nwithin: 1h')).toMatch(/distinct/);
    expect(bad('title: t\ntype: sequence\nwithin: 1h\nsteps:\n  - search: a')).toMatch(/two or more steps/);
    expect(bad('title: t\ntype: event\nsearch: a\ngroup_by: "a..b"')).toMatch(/group_by/);
  });
});

describe('windows, counts and sequences', () => {
  const when = (minute: number): string => new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString();
  /** A sign-in log: [minute, user, ip, ok]. */
  async function signIns(name: string, rows: [number, string, string, boolean][]): Promise<CaseDb> {
    const file = temp.file(`${name}.ndjson`);
    writeFileSync(
      file,
      rows
        .map(([minute, user, ip, ok], i) =>
          JSON.stringify({
            timestamp: when(minute),
            user,
            client_ip: ip,
            action: 'user.login',
            status: ok ? 'SUCCESS' : 'FAILED',
            n: i,
          }),
        )
        .join('\n'),
    );
    const s = await CaseSession.open(temp.file(`${name}.auditscope`));
    await s.import([file]);
    await s.close();
    return openCaseForReading(temp.file(`${name}.auditscope`));
  }
  const run = (caseDb: CaseDb, rule: Partial<AlertRule>): RaisedAlert[] => {
    const engine = new AlertEngine([
      { id: 'r', title: 'r', level: 'high', file: 'test', groupBy: [], type: 'event', ...rule },
    ]);
    engine.advance(caseDb);
    return engine.alerts();
  };
  const HOUR = 3_600_000_000;

  it('threshold: N within the window, inclusive at its edge, per group', async () => {
    const caseDb = await signIns('threshold', [
      [0, 'a', '198.51.100.1', false],
      [30, 'b', '198.51.100.1', false],
      [60, 'c', '198.51.100.1', false], // exactly one hour after the first
      [200, 'a', '198.51.100.1', false],
      [0, 'a', '198.51.100.2', false],
      [61, 'a', '198.51.100.2', false],
    ]);
    const alerts = run(caseDb, {
      type: 'threshold',
      search: 'kind:login-failed',
      groupBy: ['ip'],
      threshold: 3,
      within: HOUR,
    });
    expect(alerts.map((a) => [a.entity?.values, a.count])).toEqual([[['198.51.100.1'], 3]]);
    expect(
      run(caseDb, {
        type: 'threshold',
        search: 'kind:login-failed',
        groupBy: ['ip'],
        threshold: 4,
        within: HOUR,
      }),
    ).toEqual([]);
    caseDb.close();
  });

  it('distinct: accounts per IP, repeated accounts counted once', async () => {
    const caseDb = await signIns('distinct', [
      [0, 'a', '203.0.113.9', false],
      [1, 'a', '203.0.113.9', false],
      [2, 'b', '203.0.113.9', false],
      [3, 'B', '203.0.113.9', false], // same account, other case
      [4, 'c', '203.0.113.10', false],
    ]);
    const spray = {
      type: 'distinct' as const,
      search: 'kind:login-failed',
      groupBy: ['ip'],
      distinct: 'actor',
      within: HOUR,
    };
    expect(run(caseDb, { ...spray, threshold: 3 })).toEqual([]);
    const [alert] = run(caseDb, { ...spray, threshold: 2 });
    expect(alert?.count).toBe(4);
    caseDb.close();
  });

  it('sequence: steps in order, each its minimum, within the window', async () => {
    const caseDb = await signIns('sequence', [
      [0, 'a', '192.0.2.1', true], // a success before any failure starts nothing
      [1, 'a', '192.0.2.1', false],
      [2, 'a', '192.0.2.1', false],
      [3, 'a', '192.0.2.1', true],
      [10, 'b', '192.0.2.2', false],
      [30, 'b', '192.0.2.2', true], // 20 minutes later: outside 10m
      [40, 'c', '192.0.2.3', false],
      [41, 'c', '192.0.2.3', true], // one failure only: below min 2
    ]);
    const steps = [
      { search: 'kind:login-failed', min: 2 },
      { search: 'kind:login', min: 1 },
    ];
    const alerts = run(caseDb, { type: 'sequence', steps, groupBy: ['ip'], within: 10 * 60_000_000 });
    expect(alerts.map((a) => [a.entity?.values[0], a.count])).toEqual([['192.0.2.1', 3]]);
    caseDb.close();
  });
});

describe('searches decided by action, category and outcome alone', () => {
  it('are told apart from the rest', () => {
    const decided = (search: string): boolean => {
      const parsed = parseSearch(search);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return decidedByActivity(parsed.filter);
    };
    expect(decided('kind:login-failed')).toBe(true);
    expect(decided('(action:iam:Attach* OR outcome:failure) -category:iam')).toBe(true);
    expect(decided('event.action:user.login result:success')).toBe(true);
    expect(decided('')).toBe(true);
    expect(decided('actor:bob')).toBe(false);
    expect(decided('kind:login ip:10.0.0.1')).toBe(false);
    expect(decided('"free text"')).toBe(false);
    // `kind:` with a value that is no activity kind searches the record's own field.
    expect(decided('kind:Event')).toBe(false);
    expect(decided('is:starred')).toBe(false);
    for (const rule of builtInRules(DEFAULT_DETECTION_SETTINGS))
      for (const search of rule.steps?.map((s) => s.search) ?? [rule.search ?? ''])
        expect(decided(search)).toBe(true);
  });

  it('give the same alerts tested once per (action, category, outcome) as tested on every event', () => {
    const rules = builtInRules({ ...DEFAULT_DETECTION_SETTINGS, accountFailuresAbove: 1 });
    const perTriple = new AlertEngine(rules);
    perTriple.advance(db);
    // A rule searching free text (the record's text) makes the engine test every event.
    const freeText: AlertRule = {
      id: 'test.free-text',
      title: 'Free text',
      level: 'low',
      type: 'event',
      search: '"no sample holds this phrase"',
      groupBy: [],
      file: 'test',
    };
    const perEvent = new AlertEngine([...rules, freeText]);
    perEvent.advance(db);
    const expected = normalize(perEvent.alerts().filter((a) => a.ruleId !== freeText.id));
    expect(expected.length).toBeGreaterThan(8);
    expect(normalize(perTriple.alerts())).toEqual(expected);
  });
});

describe('batch and live give the same alerts', () => {
  it('over the datasets imported folder by folder, in either order, as over the whole case (Sigma too)', async () => {
    const rules = [
      ...builtInRules({ ...DEFAULT_DETECTION_SETTINGS, accountFailuresAbove: 1 }),
      ...bundled.alertRules,
    ];
    const batch = new AlertEngine(rules);
    batch.advance(db);
    const expected = normalize(batch.alerts());
    expect(expected.length).toBeGreaterThan(8);
    const folders = readdirSync(DATASETS, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => dataset(e.name));
    // Sigma too: the bundled rules and the 137 SigmaHQ rules, correlations included.
    const sigmaRules = await loadRuleFolder(SIGMA_RULES);
    const sigma = { rules: [...bundled.rules, ...sigmaRules.rules], unsupported: [] };
    const sigmaBatch = sigmaFindings(runRules(db, sigma));
    expect(sigmaBatch.filter((r) => r.ids.length > 0).length).toBeGreaterThan(8);
    for (const order of [folders, [...folders].reverse()]) {
      const live = await CaseSession.open(temp.file(`live-${order === folders ? 'a' : 'b'}.auditscope`));
      const liveDb = openCaseForReading(live.path);
      const engine = new AlertEngine(rules);
      const sigmaLive = new SigmaEngine(sigma);
      for (const folder of order) {
        await live.import([folder]);
        engine.advance(liveDb);
        sigmaLive.advance(liveDb);
      }
      // Event ids are the same in both cases; positions differ, so compare by ids.
      expect(normalize(engine.alerts())).toEqual(expected);
      expect(sigmaFindings(sigmaLive.report())).toEqual(sigmaBatch);
      liveDb.close();
      await live.close();
    }
    // Out of time order within one source: the Kubernetes traces file by file and the GitHub
    // log's lines in four chunks, shuffled (seeded) and interleaved, after everything else.
    const random = prng(6);
    const shuffle = <T>(items: T[]): T[] =>
      items
        .map((item) => ({ item, key: random() }))
        .sort((a, b) => a.key - b.key)
        .map((x) => x.item);
    const k8s = dataset('kubernetes-audit', 'falco-k8s-audit-traces');
    const github = dataset('github-audit', 'azure-sentinel-sample', 'Github_sample_logs.json');
    const lines = shuffle(
      readFileSync(github, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
    const chunks = [0, 1, 2, 3].map((n) => {
      const file = temp.file(`github-chunk-${n}.json`);
      writeFileSync(file, lines.filter((_, i) => i % 4 === n).join('\n'));
      return file;
    });
    const arrivals = shuffle([...readdirSync(k8s).map((f) => path.join(k8s, f)), ...chunks]);
    const live = await CaseSession.open(temp.file('live-c.auditscope'));
    const liveDb = openCaseForReading(live.path);
    const engine = new AlertEngine(rules);
    await live.import(folders.filter((f) => !f.endsWith('kubernetes-audit') && !f.endsWith('github-audit')));
    engine.advance(liveDb);
    for (const file of arrivals) {
      await live.import([file]);
      engine.advance(liveDb);
    }
    expect(normalize(engine.alerts())).toEqual(expected);
    liveDb.close();
    await live.close();
  }, 180_000);
});

/** What every Sigma rule found, by event ids (positions differ from case to case). */
function sigmaFindings(report: DetectionReport) {
  return report.rules
    .map((r) => ({ id: r.id, file: r.file, ids: [...r.eventIds].sort() }))
    .sort((a, b) => `${a.file}#${a.id}`.localeCompare(`${b.file}#${b.id}`));
}

/** Alerts compared across cases: by event ids and times (positions differ from case to case). */
function normalize(alerts: RaisedAlert[]) {
  return alerts
    .map(({ seqs: _seqs, events, ...a }) => ({
      ...a,
      events: events.map((e) => `${e.time} ${e.id}`).sort(),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}
