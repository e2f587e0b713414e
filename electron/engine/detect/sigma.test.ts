// The Sigma engine over real audit logs. Every modifier and condition form is checked against an
// oracle computed in plain JavaScript from the dataset files themselves (never from the engine),
// and the rules that fire on the samples are written down with the reason they should.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset, DATASETS, REPO_ROOT, SIGMA_RULES } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { ipInCidr } from '../query/ip-match.ts';
import { CaseSession } from '../case-session.ts';
import { openCaseForReading, type CaseDb } from '../store/case-db.ts';
import { parseCondition, SigmaError } from './sigma-condition.ts';
import { fieldSpec, sigmaValuePattern, transform } from './sigma-modifiers.ts';
import { requiredLiteral } from './sigma-match.ts';
import { parseSigmaFile, type LoadedRule } from './sigma-rule.ts';
import { loadRuleFolder, runRules } from './run-rules.ts';

const STRATUS = dataset('aws-cloudtrail', 'stratus-red-team-detonation-logs');
const temp = tempDir();
const casePath = temp.file('sigma.auditscope');
let db: CaseDb;
/** Every Stratus CloudTrail record, parsed straight from the files: the oracle's data. */
let records: Record<string, unknown>[];
let stratusIds: Set<string>;

beforeAll(async () => {
  const session = await CaseSession.open(casePath);
  await session.import([DATASETS]);
  await session.close();
  db = openCaseForReading(casePath);
  records = readdirSync(STRATUS).flatMap(
    (file) => JSON.parse(readFileSync(path.join(STRATUS, file), 'utf8')) as Record<string, unknown>[],
  );
  stratusIds = new Set(records.map((r) => r.eventID as string));
}, 120_000);
afterAll(() => {
  db?.close();
  temp.cleanup();
});

function at(record: unknown, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], record);
}

/** CloudTrail eventIDs of the Stratus records a rule matches, through the engine. */
function engineIdsOf(detection: Record<string, unknown>, condition: string): string[] {
  const rules = parseSigmaFile(
    JSON.stringify({
      title: 't',
      logsource: { product: 'aws', service: 'cloudtrail' },
      detection: { ...detection, condition },
    }),
    'inline.yml',
  );
  const report = runRules(db, { rules: rules as LoadedRule[], unsupported: [] });
  if (report.unsupported.length > 0) throw new SigmaError(report.unsupported[0]?.reason);
  return (report.rules[0]?.eventIds ?? [])
    .map((id) => id.replace(/^aws\.cloudtrail:/, ''))
    .filter((id) => stratusIds.has(id))
    .sort();
}

function engineIds(selection: Record<string, unknown> | unknown[]): string[] {
  return engineIdsOf({ selection }, 'selection');
}

/** The same from the files, by a JavaScript predicate. */
function oracleIds(predicate: (r: Record<string, unknown>) => boolean): string[] {
  return records
    .filter(predicate)
    .map((r) => r.eventID as string)
    .sort();
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

describe('Sigma modifiers, against the records themselves', () => {
  const cases: [string, Record<string, unknown>, (r: Record<string, unknown>) => boolean][] = [
    [
      'plain value, any case',
      { eventName: 'getsecretvalue' },
      (r) => text(r.eventName).toLowerCase() === 'getsecretvalue',
    ],
    [
      'wildcards * and ?',
      { eventName: 'Describe*Informatio?' },
      (r) => /^describe.*informatio.$/i.test(text(r.eventName)),
    ],
    [
      'a list is any of',
      { eventName: ['DeleteTrail', 'PutEventSelectors'] },
      (r) => ['DeleteTrail', 'PutEventSelectors'].includes(text(r.eventName)),
    ],
    [
      'contains',
      { 'eventName|contains': 'Secret' },
      (r) => text(r.eventName).toLowerCase().includes('secret'),
    ],
    [
      'startswith',
      { 'eventName|startswith': 'describe' },
      (r) => text(r.eventName).toLowerCase().startsWith('describe'),
    ],
    [
      'endswith',
      { 'eventSource|endswith': '.amazonaws.com' },
      (r) => text(r.eventSource).endsWith('.amazonaws.com'),
    ],
    [
      'contains|all',
      { 'userAgent|contains|all': ['stratus', 'red-team', '10e7'] },
      (r) => ['stratus', 'red-team', '10e7'].every((p) => text(r.userAgent).includes(p)),
    ],
    [
      'contains|cased matches the case only',
      { 'userAgent|contains|cased': 'Stratus' },
      (r) => text(r.userAgent).includes('Stratus'),
    ],
    ['re', { 'eventName|re': '^(Get|List)[A-Z]' }, (r) => /^(Get|List)[A-Z]/.test(text(r.eventName))],
    ['re|i', { 'eventName|re|i': '^getsecret' }, (r) => /^getsecret/i.test(text(r.eventName))],
    [
      'cidr',
      { 'sourceIPAddress|cidr': '253.0.0.0/8' },
      (r) => ipInCidr(text(r.sourceIPAddress) || null, '253.0.0.0/8') === 1,
    ],
    [
      'exists: true on a nested field',
      { 'requestParameters.userName|exists': true },
      (r) => at(r, 'requestParameters.userName') !== undefined,
    ],
    ['exists: false', { 'errorCode|exists': false }, (r) => r.errorCode === undefined],
    ['null: absent', { errorCode: null }, (r) => r.errorCode === undefined || r.errorCode === null],
    [
      'neq',
      { eventSource: 'iam.amazonaws.com', 'eventName|neq': 'CreateRole' },
      (r) => r.eventSource === 'iam.amazonaws.com' && r.eventName !== 'CreateRole',
    ],
    [
      'fieldref',
      { 'userIdentity.accountId|fieldref': 'recipientAccountId' },
      (r) =>
        at(r, 'userIdentity.accountId') !== undefined &&
        String(at(r, 'userIdentity.accountId')) === String(r.recipientAccountId),
    ],
    [
      'gt on a number',
      { 'requestParameters.maxResults|gt': 5 },
      (r) => Number(at(r, 'requestParameters.maxResults')) > 5,
    ],
    [
      'lte on a number',
      { 'requestParameters.maxResults|lte': 1000 },
      (r) =>
        at(r, 'requestParameters.maxResults') !== undefined &&
        Number(at(r, 'requestParameters.maxResults')) <= 1000,
    ],
    [
      'an array field matches any element',
      { 'requestParameters.launchPermission.add.items|exists': true },
      (r) => Array.isArray(at(r, 'requestParameters.launchPermission.add.items')),
    ],
  ];
  it.each(cases)('%s', (_, selection, predicate) => {
    const expected = oracleIds(predicate);
    expect(engineIds(selection)).toEqual(expected);
  });

  it('has data for every case: none of the checks above passes by matching nothing', () => {
    for (const [name, , predicate] of cases.filter(([n]) => !n.startsWith('contains|cased')))
      expect(oracleIds(predicate).length, name).toBeGreaterThan(0);
  });

  it('lists of maps are any of the maps; keywords are searched in the whole record', () => {
    expect(engineIds([{ eventName: 'DeleteTrail' }, { eventName: 'CreateRole' }])).toEqual(
      oracleIds((r) => r.eventName === 'DeleteTrail' || r.eventName === 'CreateRole'),
    );
    expect(engineIds(['stratus-red-team_10e7edf3'])).toEqual(
      oracleIds((r) => JSON.stringify(r).includes('stratus-red-team_10e7edf3')),
    );
  });

  it('conditions: not, and, or, parentheses, 1 of, all of, them', () => {
    const detection = (condition: string): string[] =>
      engineIdsOf(
        {
          sel_get: { 'eventName|startswith': 'Get' },
          sel_secret: { 'eventName|contains': 'Secret' },
          filter_ok: { 'errorCode|exists': false },
        },
        condition,
      );
    const get = (r: Record<string, unknown>): boolean => text(r.eventName).startsWith('Get');
    const secret = (r: Record<string, unknown>): boolean =>
      text(r.eventName).toLowerCase().includes('secret');
    const ok = (r: Record<string, unknown>): boolean => r.errorCode === undefined;
    expect(detection('sel_get and not sel_secret')).toEqual(oracleIds((r) => get(r) && !secret(r)));
    expect(detection('1 of sel_*')).toEqual(oracleIds((r) => get(r) || secret(r)));
    expect(detection('all of sel_*')).toEqual(oracleIds((r) => get(r) && secret(r)));
    expect(detection('all of them')).toEqual(oracleIds((r) => get(r) && secret(r) && ok(r)));
    expect(detection('sel_get or sel_secret and not filter_ok')).toEqual(
      oracleIds((r) => get(r) || (secret(r) && !ok(r))),
    );
    expect(detection('(sel_get or sel_secret) and not filter_ok')).toEqual(
      oracleIds((r) => (get(r) || secret(r)) && !ok(r)),
    );
  });
});

describe('Sigma transformations and parsing', () => {
  const forms = (key: string, value: string): string[] => transform([value], fieldSpec(key));

  it('base64offset gives the three renderings of a value at any offset (the spec example)', () => {
    expect(forms('x|base64offset|contains', '/bin/bash')).toEqual([
      'L2Jpbi9iYXNo',
      '9iaW4vYmFza',
      'vYmluL2Jhc2',
    ]);
    expect(forms('x|base64', 'ab')).toEqual(['YWI=']);
  });

  it('windash writes each leading dash every way Windows reads it; utf16le needs base64', () => {
    expect(forms('x|windash|contains', ' -enc')).toEqual([
      ' -enc',
      ' /enc',
      ' \u2013enc',
      ' \u2014enc',
      ' \u2015enc',
    ]);
    expect(forms('x|utf16le|base64', 'ab')).toEqual([Buffer.from('ab', 'utf16le').toString('base64')]);
    expect(() => forms('x|utf16le', 'ab')).toThrow(SigmaError);
    expect(() => fieldSpec('x|expand')).toThrow(/processing pipeline/);
    expect(() => fieldSpec('x|nope')).toThrow(/unknown modifier/);
    expect(() => fieldSpec('x|contains|startswith')).toThrow(/together/);
  });

  it('finds the text a regular expression cannot match without, only when certain', () => {
    expect(requiredLiteral('.+:assumed-role/aws:.+')).toBe(':assumed-role/aws:');
    expect(requiredLiteral('^Get[A-Z]')).toBeUndefined();
    expect(requiredLiteral('abcd?e')).toBe('abc');
    expect(requiredLiteral('(x|y)secret')).toBeUndefined();
    expect(requiredLiteral('a.b')).toBeUndefined();
  });

  it('reads wildcards and escapes the Sigma way', () => {
    const matches = (value: string, text: string, matcher: 'equals' | 'contains' = 'equals', cased = false) =>
      sigmaValuePattern(value, matcher, cased).test(text);
    expect(matches('a*c', 'ABBBC')).toBe(true);
    expect(matches('a?c', 'abc')).toBe(true);
    expect(matches('a?c', 'abbc')).toBe(false);
    expect(matches('a\\*c', 'a*c')).toBe(true);
    expect(matches('a\\*c', 'abc')).toBe(false);
    expect(matches('C:\\Windows\\x', 'c:\\windows\\x')).toBe(true); // a lone backslash is itself
    expect(matches('(a).[b]', '(A).[B]')).toBe(true); // pattern characters are literal
    expect(matches('Secret', 'getsecretvalue', 'contains')).toBe(true);
    expect(matches('Secret', 'getsecretvalue', 'contains', true)).toBe(false);
  });

  it('parses conditions with precedence, and refuses what it cannot read', () => {
    const names = ['a', 'b', 'filter_1', 'filter_2'];
    expect(parseCondition('a or b and not c_x', [...names, 'c_x'])).toEqual({
      kind: 'or',
      children: [
        { kind: 'ref', name: 'a' },
        {
          kind: 'and',
          children: [
            { kind: 'ref', name: 'b' },
            { kind: 'not', child: { kind: 'ref', name: 'c_x' } },
          ],
        },
      ],
    });
    expect(parseCondition('a and not 1 of filter_*', names)).toEqual({
      kind: 'and',
      children: [
        { kind: 'ref', name: 'a' },
        {
          kind: 'not',
          child: {
            kind: 'or',
            children: [
              { kind: 'ref', name: 'filter_1' },
              { kind: 'ref', name: 'filter_2' },
            ],
          },
        },
      ],
    });
    expect(() => parseCondition('a and (b', names)).toThrow(/parenthesis|ends/);
    expect(() => parseCondition('selection | count() > 5', names)).toThrow(/correlation/);
    expect(() => parseCondition('missing', names)).toThrow(/does not define/);
    expect(() => parseCondition('1 of nothing_*', names)).toThrow(/no selection/);
  });
});

describe('rules that fire on the real samples', () => {
  it('SigmaHQ: all 137 rules evaluate, and exactly these fire, for these reasons', async () => {
    const report = runRules(db, await loadRuleFolder(SIGMA_RULES));
    expect(report.unsupported).toEqual([]);
    expect(report.rules).toHaveLength(137);
    const fired = Object.fromEntries(
      report.rules.filter((r) => r.matches > 0).map((r) => [path.relative(SIGMA_RULES, r.file), r.matches]),
    );
    expect(fired).toEqual({
      // falco-k8s-audit-traces creates a pod in kube-system (verb create, objectRef pods/kube-system).
      'application/kubernetes/audit/kubernetes_audit_pod_in_system_namespace.yml': 1,
      // The Okta sample grants an admin role: eventType user.account.privilege.grant.
      'identity/okta/okta_admin_role_assigned_to_user_or_group.yml': 1,
      // …updates application sign-on policies twice: application.policy.sign_on.update.
      'identity/okta/okta_application_sign_on_policy_modified_or_deleted.yml': 2,
      // …and updates a policy once: policy.lifecycle.update.
      'identity/okta/okta_policy_modified_or_deleted.yml': 1,
    });
    // The Stratus detonations do not trip SigmaHQ's CloudTrail rules, and rightly: e.g. the
    // user-data rule wants requestParameters.attribute = userData, and this CloudTrail writes
    // requestParameters.userData instead (our own rule below catches that shape).
  });

  it('tests each event only against the rules its values can match, with the same results', async () => {
    const loaded = await loadRuleFolder(SIGMA_RULES);
    const own = await loadRuleFolder(path.join(REPO_ROOT, 'resources', 'rules', 'sigma'));
    const all = { rules: [...loaded.rules, ...own.rules], unsupported: [] };
    const strip = (report: ReturnType<typeof runRules>) => report.rules.map((r) => [r.id, r.eventIds]);
    expect(strip(runRules(db, all))).toEqual(strip(runRules(db, all, { guards: false })));
  });

  it('Auditscope’s own rules find each Stratus technique they are written for', async () => {
    const report = runRules(db, await loadRuleFolder(path.join(REPO_ROOT, 'resources', 'rules', 'sigma')));
    expect(report.unsupported).toEqual([]);
    const byTitle = Object.fromEntries(report.rules.map((r) => [r.title, r.matches]));
    expect(byTitle).toEqual({
      'CloudTrail Trail Deleted or Stopped': 1, // aws.defense-evasion.cloudtrail-delete: DeleteTrail
      'CloudTrail Event Selectors Changed': 1, // …cloudtrail-event-selectors: PutEventSelectors
      'EC2 Instance User Data Modified': 1, // aws.execution.ec2-user-data: ModifyInstanceAttribute + userData
      'EC2 Image Shared With Another Account': 1, // aws.exfiltration.ec2-share-ami: launchPermission add
      // CreateAccessKey, CreateLoginProfile, CreateRole, AttachRolePolicy, UpdateAssumeRolePolicy
      // from the Stratus user agent (the failed DeleteLoginProfile is not one of them).
      'IAM Persistence Calls From a Red-Team Tool': 5,
      'Secrets Manager Secret Value Read': 30, // 20 by Stratus, 10 in another CloudTrail sample
      'Many Secrets Read by One Principal': 30, // both principals read ≥ 10 distinct secrets in 10 min
      'Burst of Secret Reads': 20, // only Stratus read 15+ within a minute (20 in 4 s)
      'Login Profile Created': 1,
      'Login Profile Deleted': 1,
      'Console Password Created Then Removed': 2, // aws.persistence.iam-create-user-login-profile
    });
    const burst = report.rules.find((r) => r.title === 'Burst of Secret Reads');
    const stratusSecrets = oracleIds((r) => r.eventName === 'GetSecretValue').map(
      (id) => `aws.cloudtrail:${id}`,
    );
    expect([...(burst?.eventIds ?? [])].sort()).toEqual(stratusSecrets.sort());
  });

  it('auditd: the fields of a selection are read in one record, as Sigma reads auditd lines', () => {
    // Oracle: the EXECVE lines of the auditd files whose first argument is each program.
    const lines = readdirSync(dataset('linux-auditd'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .flatMap((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8').split('\n'));
    const executions = (program: string): number =>
      new Set(
        lines
          .filter((l) => l.startsWith('type=EXECVE') && new RegExp(` a0="?${program}"? `).test(`${l} `))
          .map((l) => /msg=audit\(([^)]+)\)/.exec(l)?.[1]),
      ).size;
    const run = (selection: Record<string, unknown>): number => {
      const rule = parseSigmaFile(
        JSON.stringify({
          title: 'a',
          logsource: { product: 'linux', service: 'auditd' },
          detection: { selection, condition: 'selection' },
        }),
        'auditd.yml',
      );
      return runRules(db, { rules: rule as never, unsupported: [] }).rules[0]?.matches ?? -1;
    };
    for (const program of ['grep', 'cat', 'arp']) {
      expect(executions(program), program).toBeGreaterThan(0);
      expect(run({ type: 'EXECVE', a0: program }), program).toBe(executions(program));
    }
    // The SYSCALL record of the same events has a0 too (a pointer, in hex): never "grep".
    expect(run({ type: 'SYSCALL', a0: 'grep' })).toBe(0);
    expect(run({ type: 'EXECVE', 'a1|startswith': '--color' })).toBeGreaterThan(0);
  });

  it('a rule it cannot evaluate is listed with the reason, never skipped', () => {
    const loaded = {
      rules: parseSigmaFile(
        [
          'title: windows\nlogsource: {product: windows, service: security}\ndetection: {sel: {EventID: 4625}, condition: sel}',
          'title: agg\nlogsource: {product: aws, service: cloudtrail}\ndetection: {sel: {eventName: x}, condition: sel | count() > 5}',
          'title: bad re\nlogsource: {product: aws, service: cloudtrail}\ndetection: {sel: {eventName|re: "("}, condition: sel}',
          'title: corr\ncorrelation: {type: event_count, rules: [nope], group-by: [x], timespan: 5m, condition: {gte: 2}}',
        ].join('\n---\n'),
        'mixed.yml',
      ).filter((r) => 'kind' in r),
      unsupported: [],
    } as Parameters<typeof runRules>[1];
    const report = runRules(db, loaded);
    expect(report.rules).toEqual([]);
    expect(report.unsupported.map((u) => [u.title, u.reason])).toEqual([
      ['windows', expect.stringMatching(/not one Auditscope imports/)],
      ['agg', expect.stringMatching(/aggregations/)],
      ['bad re', expect.stringMatching(/^re: /)],
      ['corr', expect.stringMatching(/names nope/)],
    ]);
  });
});
