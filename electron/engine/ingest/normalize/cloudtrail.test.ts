import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { dataset } from '../../../../test/support/paths.ts';
import type { NormalizedEvent } from '../../../../shared/domain/audit-event.ts';
import type { JsonObject, SourceRecord } from '../types.ts';
import { cloudtrailNormalizer, parsePythonDict, serviceOf } from './cloudtrail.ts';
import { csvRows } from '../../../../test/support/csv-rows.ts';

const asRecord = (value: JsonObject): SourceRecord => ({
  value,
  text: '',
  encodingError: false,
  offset: 0,
  line: 1,
});
const run = (value: JsonObject): NormalizedEvent => cloudtrailNormalizer.normalize(asRecord(value));

function stratus(name: string): JsonObject[] {
  return JSON.parse(
    fs.readFileSync(dataset('aws-cloudtrail', 'stratus-red-team-detonation-logs', name), 'utf8'),
  ) as JsonObject[];
}
function datadog(name: string): JsonObject[] {
  const text = fs.readFileSync(dataset('aws-cloudtrail', 'datadog-forwarder-export', name), 'utf8');
  return (JSON.parse(text) as { Records: JsonObject[] }).Records;
}
function otrfNdjson(): JsonObject[] {
  const text = fs.readFileSync(
    dataset('aws-cloudtrail', 'otrf', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json'),
    'utf8',
  );
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as JsonObject);
}

describe('cloudtrail: every real record normalizes and is detected', () => {
  const stratusFiles = fs.readdirSync(dataset('aws-cloudtrail', 'stratus-red-team-detonation-logs'));
  it.each([
    ['stratus (JSON arrays)', () => stratusFiles.flatMap(stratus), 175],
    [
      'datadog ({"Records"})',
      () => [
        ...datadog('aws.credential-access.secretsmanager-retrieve-secrets.json'),
        ...datadog('aws.exfiltration.ec2-share-ebs-snapshot.json'),
      ],
      11,
    ],
    ['otrf NDJSON (@timestamp)', otrfNdjson, 103],
    [
      'otrf honeybucket CSV',
      () =>
        csvRows(
          fs.readFileSync(dataset('aws-cloudtrail', 'otrf', 'AWS_S3_HoneyBucketLogs.part1.csv'), 'utf8'),
        ),
      151,
    ],
  ] as const)('%s', (_name, load, count) => {
    const records = load();
    expect(records.length).toBe(count);
    for (const record of records) {
      expect(cloudtrailNormalizer.detect(record)).toBeGreaterThanOrEqual(0.5);
      const event = run(record);
      expect(event.source).toBe('aws.cloudtrail');
      expect(Number.isSafeInteger(event.time)).toBe(true);
    }
  });
});

describe('cloudtrail: golden records', () => {
  it('IAM user creating an access key (stratus iam-backdoor-user)', () => {
    const [record] = stratus('aws.persistence.iam-backdoor-user.json');
    expect(run(record ?? {})).toEqual({
      time: Date.parse('2024-07-30T21:53:13Z') * 1000,
      timeOriginal: '2024-07-30T21:53:13Z',
      source: 'aws.cloudtrail',
      action: 'iam:CreateAccessKey',
      category: 'iam',
      outcome: 'success',
      actor: { id: 'arn:aws:iam::946986569305:user/christophe', name: 'christophe', type: 'IAMUser' },
      target: { type: 'user', name: 'stratus-red-team-backdoor-u-user' },
      ip: '211.9.016.253',
      userAgent: 'stratus-red-team_f3f19dcd-8552-47ca-a01e-0e1f5578d15e',
      requestId: '1af58177-d743-4c94-ac1d-014721ed9b94',
      changes: [],
      sourceEventId: 'c64c4ded-ef03-4e5c-81eb-153b118d72f2',
    });
  });

  it('errorCode makes a failure; assumed role actor; trail deletion is configuration', () => {
    const failed = stratus('aws.persistence.iam-create-user-login-profile.json').find(
      (r) => r['eventName'] === 'DeleteLoginProfile',
    );
    const event = run(failed ?? {});
    expect(event.outcome).toBe('failure');
    expect(event.message).toBe(
      'Login Profile for User stratus-red-team-login-profile-user cannot be modified while login profile is being created.',
    );

    const run2 = stratus('aws.execution.ec2-launch-unusual-instances.json').find(
      (r) => r['eventName'] === 'RunInstances',
    );
    const launch = run(run2 ?? {});
    expect([launch.action, launch.outcome, launch.category]).toEqual([
      'ec2:RunInstances',
      'failure',
      'data_change',
    ]);
    expect(launch.actor).toEqual({
      id: 'arn:aws:sts::900138736586:assumed-role/stratus-red-team-ec2lui-role-idtzskbvtd/aws-go-sdk-1722511821294449000',
      name: 'stratus-red-team-ec2lui-role-idtzskbvtd',
      type: 'AssumedRole',
    });

    const trail = run(stratus('aws.defense-evasion.cloudtrail-delete.json')[0] ?? {});
    expect([trail.action, trail.category, trail.ip]).toEqual([
      'cloudtrail:DeleteTrail',
      'configuration',
      '08.1.250.216',
    ]);
    expect(trail.target).toEqual({
      type: 'cloudtrail.resource',
      name: 'stratus-red-team-cloudtraild-trail-kvrwohmiai',
    });
    expect(run(stratus('aws.defense-evasion.cloudtrail-event-selectors.json')[0] ?? {}).category).toBe(
      'configuration',
    );
  });

  it('Datadog export: IP from network.client.ip, request id from http.request_id', () => {
    const [record] = datadog('aws.credential-access.secretsmanager-retrieve-secrets.json');
    const event = run(record ?? {});
    expect(event).toMatchObject({
      time: Date.parse('2022-07-20T20:57:15Z') * 1000,
      action: 'secretsmanager:GetSecretValue',
      category: 'data_access',
      ip: '62.167.105.104',
      requestId: 'c9dbd309-9d49-466a-bbe6-8c16e748e32e',
      sourceEventId: '57d3eacd-ff87-48f7-b133-a5e9da5d1395',
      target: {
        type: 'secret',
        id: 'arn:aws:secretsmanager:us-east-1:677301038893:secret:stratus-red-team-secret-4-q5OiUT',
        name: 'stratus-red-team-secret-4-q5OiUT',
      },
    });
  });

  it('Logstash NDJSON: @timestamp, AWSService actor, service-name IP kept', () => {
    const assume = otrfNdjson().find((r) => r['eventID'] === '0f902c35-794c-4864-b2e0-3c4564b857b0');
    expect(run(assume ?? {})).toMatchObject({
      time: Date.parse('2020-09-14T00:50:17Z') * 1000,
      timeOriginal: '2020-09-14T00:50:17.000Z',
      action: 'sts:AssumeRole',
      category: 'authentication',
      actor: { name: 'ec2.amazonaws.com', type: 'AWSService' },
      ip: 'ec2.amazonaws.com',
      target: {
        type: 'role',
        id: 'arn:aws:iam::123456789123:role/MordorLogCollectorStack-LogCollectorRole-1JJTG88NNY4KN',
        name: 'MordorLogCollectorStack-LogCollectorRole-1JJTG88NNY4KN',
      },
    });
    const getObject = run(
      otrfNdjson().find((r) => r['eventID'] === '771299cb-e200-4926-9604-c85358b30499') ?? {},
    );
    expect(getObject.target).toEqual({
      type: 'object',
      id: 'arn:aws:s3:::mordors3stack-s3bucket-llp2yingx64a/ring.txt',
      name: 'mordors3stack-s3bucket-llp2yingx64a/ring.txt',
    });
  });

  it('honeybucket CSV: python-dict user, s3 service inferred, outcome unknown', () => {
    const rows = csvRows(
      fs.readFileSync(dataset('aws-cloudtrail', 'otrf', 'AWS_S3_HoneyBucketLogs.part1.csv'), 'utf8'),
    );
    expect(run(rows[0] ?? {})).toEqual({
      time: Date.parse('2022-02-18T17:34:57Z') * 1000,
      timeOriginal: '2022-02-18T17:34:57Z',
      source: 'aws.cloudtrail',
      action: 's3:ListObjects',
      category: 'data_access',
      outcome: 'unknown',
      actor: { id: 'ANONYMOUS_PRINCIPAL', name: 'ANONYMOUS_PRINCIPAL', type: 'AWSAccount' },
      target: { type: 'bucket', id: 'arn:aws:s3:::microsoft-devtest', name: 'microsoft-devtest' },
      ip: '177.131.167.145',
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/98.0.4758.102 Safari/537.36',
      requestId: 'E2E91AQVN6DJHZ91',
      changes: [],
      sourceEventId: '283770f5-968d-448d-9328-0b010f4d3696',
    });
  });

  it('ConsoleLogin failure from responseElements', () => {
    const event = run({
      eventTime: '2024-01-01T00:00:00Z',
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::1:user/bob' },
      responseElements: { ConsoleLogin: 'Failure' },
    });
    expect([event.action, event.category, event.outcome, event.actor.name]).toEqual([
      'signin:ConsoleLogin',
      'authentication',
      'failure',
      'bob',
    ]);
  });

  it('rejects a record without a timestamp', () => {
    expect(() => run({ eventSource: 's3.amazonaws.com', eventName: 'GetObject' })).toThrow(
      /no usable timestamp/,
    );
  });
});

describe('cloudtrail helpers', () => {
  it('parsePythonDict reads single-quoted pairs; the outer key wins', () => {
    const dict = parsePythonDict(
      "{'type': 'AssumedRole', 'arn': 'arn:aws:sts::1:assumed-role/r/s', 'sessionContext': {'sessionIssuer': {'arn': 'x', 'userName': 'r'}}, 'n': 3, 'b': True}",
    );
    expect([dict.get('type'), dict.get('arn'), dict.get('userName'), dict.get('n'), dict.get('b')]).toEqual([
      'AssumedRole',
      'arn:aws:sts::1:assumed-role/r/s',
      'r',
      '3',
      'True',
    ]);
    expect(parsePythonDict('not a dict').size).toBe(0);
  });

  it('serviceOf strips .amazonaws.com', () => {
    expect(serviceOf('s3.amazonaws.com')).toBe('s3');
    expect(serviceOf('ec2-instance-connect.amazonaws.com')).toBe('ec2-instance-connect');
    expect(serviceOf(undefined)).toBeUndefined();
  });
});
