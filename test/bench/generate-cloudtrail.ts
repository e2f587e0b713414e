// A seeded generator of CloudTrail-shaped NDJSON for benchmarks and large-input tests:
// ~850 bytes per event, a realistic actor/action spread, second-precision timestamps with many
// ties, about 1 % of events out of order by up to five minutes.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { prng } from '../support/prng.ts';

export { prng };

const ACTIONS: [service: string, name: string, weight: number, readOnly: boolean][] = [
  ['s3', 'GetObject', 21, true],
  ['s3', 'PutObject', 8, false],
  ['s3', 'ListBucket', 6, true],
  ['ec2', 'DescribeInstances', 9, true],
  ['ec2', 'RunInstances', 1, false],
  ['ec2', 'DescribeSecurityGroups', 4, true],
  ['sts', 'AssumeRole', 8, true],
  ['sts', 'GetCallerIdentity', 5, true],
  ['iam', 'ListRoles', 3, true],
  ['iam', 'CreateUser', 0.2, false],
  ['iam', 'AttachUserPolicy', 0.2, false],
  ['iam', 'CreateAccessKey', 0.3, false],
  ['kms', 'Decrypt', 9, true],
  ['kms', 'GenerateDataKey', 4, true],
  ['lambda', 'Invoke', 5, false],
  ['dynamodb', 'GetItem', 4, true],
  ['dynamodb', 'PutItem', 2, false],
  ['signin', 'ConsoleLogin', 1, false],
  ['cloudtrail', 'LookupEvents', 1, true],
  ['cloudtrail', 'StopLogging', 0.002, false],
  ['secretsmanager', 'GetSecretValue', 2, true],
  ['logs', 'PutLogEvents', 3, false],
];
const USERS = Array.from({ length: 400 }, (_, i) => `user-${String(i).padStart(3, '0')}`);
const ROLES = ['DeployRole', 'ReadOnlyRole', 'LambdaExec', 'AdminRole', 'DataPipeline', 'breakglass-admin'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const AGENTS = [
  'aws-cli/2.15.0 Python/3.11.6 Linux/6.1',
  'Boto3/1.34.0 Python/3.12.1',
  'console.amazonaws.com',
  'aws-sdk-go-v2/1.24.0',
  'terraform/1.6.6',
];

export interface GenerateOptions {
  events: number;
  seed?: number;
  start?: number; // epoch ms
  spanMs?: number;
}

export async function generateCloudTrail(path: string, options: GenerateOptions): Promise<{ bytes: number }> {
  const random = prng(options.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const totalWeight = ACTIONS.reduce((s, a) => s + a[2], 0);
  const pickAction = (): (typeof ACTIONS)[number] => {
    let r = random() * totalWeight;
    for (const action of ACTIONS) if ((r -= action[2]) <= 0) return action;
    return ACTIONS[0] as (typeof ACTIONS)[number];
  };
  const start = options.start ?? Date.UTC(2024, 2, 1);
  const span = options.spanMs ?? 30 * 86_400_000;
  const out = createWriteStream(path);
  let bytes = 0;
  let buffer = '';
  for (let i = 0; i < options.events; i++) {
    // Events arrive in time order with second precision; ~1 % are late by up to 5 minutes.
    let ms = start + Math.floor((i / options.events) * span);
    if (random() < 0.01) ms -= Math.floor(random() * 300_000);
    const time = new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const [service, name, , readOnly] = pickAction();
    const assumed = random() < 0.45;
    const user = pick(USERS);
    const role = pick(ROLES);
    const account = '123456789012';
    const identity = assumed
      ? {
          type: 'AssumedRole',
          principalId: `AROA${i % 9973}:${user}`,
          arn: `arn:aws:sts::${account}:assumed-role/${role}/${user}`,
          accountId: account,
          accessKeyId: `ASIA${(i * 7919) % 1e9}`,
          sessionContext: {
            sessionIssuer: {
              type: 'Role',
              principalId: `AROA${i % 9973}`,
              arn: `arn:aws:iam::${account}:role/${role}`,
              accountId: account,
              userName: role,
            },
            attributes: { creationDate: time, mfaAuthenticated: 'false' },
          },
        }
      : {
          type: 'IAMUser',
          principalId: `AIDA${USERS.indexOf(user)}`,
          arn: `arn:aws:iam::${account}:user/${user}`,
          accountId: account,
          accessKeyId: `AKIA${(i * 104729) % 1e9}`,
          userName: user,
        };
    const denied = random() < 0.033;
    const ip = `${10 + Math.floor(random() * 200)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`;
    const record = {
      eventVersion: '1.09',
      userIdentity: identity,
      eventTime: time,
      eventSource: `${service}.amazonaws.com`,
      eventName: name,
      awsRegion: pick(REGIONS),
      sourceIPAddress: ip,
      userAgent: pick(AGENTS),
      ...(denied
        ? { errorCode: 'AccessDenied', errorMessage: `User is not authorized to perform: ${service}:${name}` }
        : {}),
      requestParameters:
        service === 's3'
          ? {
              bucketName: `bucket-${Math.floor(random() * 40)}`,
              key: `data/${Math.floor(random() * 1e6)}.json`,
            }
          : { maxResults: 50 },
      responseElements: name === 'ConsoleLogin' ? { ConsoleLogin: denied ? 'Failure' : 'Success' } : null,
      requestID: `${(i * 2654435761) % 4294967296}`.padStart(10, '0') + '-REQ',
      eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      readOnly,
      eventType: 'AwsApiCall',
      managementEvent: service !== 's3',
      recipientAccountId: account,
      eventCategory: 'Management',
      tlsDetails: {
        tlsVersion: 'TLSv1.3',
        cipherSuite: 'TLS_AES_128_GCM_SHA256',
        clientProvidedHostHeader: `${service}.${pick(REGIONS)}.amazonaws.com`,
      },
    };
    buffer += JSON.stringify(record) + '\n';
    if (buffer.length > 1 << 20) {
      bytes += Buffer.byteLength(buffer);
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  bytes += Buffer.byteLength(buffer);
  out.end(buffer);
  await once(out, 'finish');
  return { bytes };
}
