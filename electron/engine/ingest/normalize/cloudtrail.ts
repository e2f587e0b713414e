/**
 * AWS CloudTrail: S3/console records, Datadog-forwarder exports (`evt`, `usr`, `network.client.ip`),
 * Logstash NDJSON (`@timestamp`, no `eventTime`) and CSV alert/console exports (column names).
 */
import { categoryFromAction, isReadAction } from '../../../../shared/lib/event-taxonomy.ts';
import type { EventCategory, NormalizedEvent } from '../../../../shared/domain/audit-event.ts';
import type { JsonObject, Normalizer, SourceRecord } from '../types.ts';
import { compact, getArray, getObject, getPath, getString, isObject, requireTime } from './record-access.ts';

const AUTH_EVENTS =
  /^(ConsoleLogin|GetSessionToken|GetFederationToken|AssumeRole\w*|SwitchRole|ExitRole|CheckMfa|CredentialVerification|Federate|Authenticate|GetRoleCredentials)$/;
const IAM_SERVICES = new Set([
  'iam',
  'sts',
  'sso',
  'identitystore',
  'organizations',
  'rolesanywhere',
  'access-analyzer',
  'kms',
  'cognito-idp',
]);
const CONFIG_SERVICES = new Set([
  'cloudtrail',
  'config',
  'guardduty',
  'securityhub',
  'route53resolver',
  'logs',
]);

/** requestParameters keys naming the target, in priority order, with the target type. */
const TARGET_PARAMS: ReadonlyArray<readonly [string, string]> = [
  ['userName', 'user'],
  ['roleName', 'role'],
  ['groupName', 'group'],
  ['roleArn', 'role'],
  ['instanceId', 'instance'],
  ['instancesSet.items.0.instanceId', 'instance'],
  ['instanceIds.0', 'instance'],
  ['target', 'instance'],
  ['functionName', 'function'],
  ['secretId', 'secret'],
  ['trailName', 'trail'],
  ['snapshotId', 'snapshot'],
  ['imageId', 'image'],
  ['volumeId', 'volume'],
  ['keyId', 'key'],
  ['policyArn', 'policy'],
  ['names.0', 'parameter'],
  ['modelId', 'model'],
  ['resolverQueryLogConfigId', 'resolver-query-log-config'],
  ['name', 'resource'],
  ['sessionId', 'session'],
];

/** Case-insensitive CSV column reader (CSV exports spell headers `Event Name`, `Event name`…). */
function csvColumns(value: JsonObject): Map<string, string> {
  const columns = new Map<string, string>();
  for (const key of Object.keys(value)) {
    const cell = value[key];
    if (typeof cell === 'string') columns.set(key.trim().toLowerCase(), cell);
  }
  return columns;
}

function isCsvExport(value: JsonObject): boolean {
  // JSON records (the vast majority) carry eventTime or @timestamp: skip the column scan for them.
  if (Object.hasOwn(value, 'eventTime') || Object.hasOwn(value, '@timestamp')) return false;
  const cols = csvColumns(value);
  return cols.has('event name') && (cols.has('event datetime') || cols.has('event time'));
}

/**
 * Top-level `'key': value` pairs of a Python dict repr (`{'type': 'AWSAccount', …}`): the honeybucket
 * CSV writes userIdentity and requestParameters that way. The first occurrence of a key wins, which
 * is the outer one in CloudTrail's field order.
 */
export function parsePythonDict(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const pair =
    /'([^'\\]{1,200})'\s*:\s*(?:'((?:[^'\\]|\\.){0,4000})'|"((?:[^"\\]|\\.){0,4000})"|(True|False|None|-?\d+(?:\.\d+)?))/g;
  for (const m of text.slice(0, 100_000).matchAll(pair)) {
    const key = m[1] ?? '';
    if (!out.has(key)) out.set(key, m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

/** `s3.amazonaws.com` → `s3`; anything else is returned unchanged. */
export function serviceOf(eventSource: string | undefined): string | undefined {
  if (eventSource === undefined) return undefined;
  return eventSource.replace(/\.amazonaws\.com$/i, '');
}

function cloudtrailCategory(service: string | undefined, eventName: string): EventCategory {
  if (AUTH_EVENTS.test(eventName)) return 'authentication';
  const read = isReadAction(eventName);
  if (!read && service !== undefined && IAM_SERVICES.has(service)) return 'iam';
  if (!read && service !== undefined && CONFIG_SERVICES.has(service)) return 'configuration';
  // API-version suffixes (`AddPermission20150331v2`) carry no meaning for the category.
  return categoryFromAction(eventName.replace(/\d{8}(v\d+)?$/, ''));
}

function lastSegment(arn: string): string {
  const parts = arn.split(/[/:]/);
  return parts[parts.length - 1] || arn;
}

function s3Target(bucket: string, key: string | undefined): NormalizedEvent['target'] {
  return key === undefined
    ? { type: 'bucket', id: `arn:aws:s3:::${bucket}`, name: bucket }
    : { type: 'object', id: `arn:aws:s3:::${bucket}/${key}`, name: `${bucket}/${key}` };
}

function targetFrom(value: JsonObject, service: string | undefined): NormalizedEvent['target'] {
  const params = getObject(value, 'requestParameters');
  const bucket = getString(params, 'bucketName');
  if (bucket !== undefined) return s3Target(bucket, getString(params, 'key'));
  for (const [path, type] of TARGET_PARAMS) {
    const found = getString(params, path);
    if (found === undefined) continue;
    const resolvedType = path === 'name' && service !== undefined ? `${service}.resource` : type;
    return found.startsWith('arn:')
      ? { type: resolvedType, id: found, name: lastSegment(found) }
      : { type: resolvedType, name: found };
  }
  const resource = getArray(value, 'resources').find(isObject);
  const arn = getString(resource, 'ARN', 'ARNPrefix');
  if (arn !== undefined)
    return compact({ type: getString(resource, 'type'), id: arn, name: lastSegment(arn) });
  return {};
}

function actorFrom(value: JsonObject): NormalizedEvent['actor'] {
  const identity = getObject(value, 'userIdentity');
  const type = getString(identity, 'type');
  const arn = getString(identity, 'arn');
  const name =
    getString(identity, 'userName', 'sessionContext.sessionIssuer.userName') ??
    (arn !== undefined ? lastSegment(arn) : undefined) ??
    getString(identity, 'invokedBy') ??
    getString(value, 'usr.name', 'usr.id') ??
    getString(identity, 'accountId');
  return compact({
    id: arn ?? getString(identity, 'principalId', 'accountId') ?? getString(value, 'usr.id'),
    name,
    type,
  });
}

function normalizeJson(record: SourceRecord): NormalizedEvent {
  const value = record.value;
  const { time, timeOriginal } = requireTime(value, ['eventTime', '@timestamp']);
  const eventName = getString(value, 'eventName', 'evt.name') ?? '';
  const service = serviceOf(getString(value, 'eventSource'));
  const failed =
    getString(value, 'errorCode') !== undefined ||
    getPath(value, 'responseElements.ConsoleLogin') === 'Failure';
  return compact({
    time,
    timeOriginal,
    source: 'aws.cloudtrail',
    action: service === undefined ? eventName : `${service}:${eventName}`,
    category: cloudtrailCategory(service, eventName),
    outcome: failed ? 'failure' : 'success',
    actor: actorFrom(value),
    target: targetFrom(value, service),
    ip: getString(value, 'sourceIPAddress', 'network.client.ip'),
    userAgent: getString(value, 'userAgent', 'http.useragent'),
    requestId: getString(value, 'requestID', 'http.request_id'),
    message: getString(value, 'errorMessage'),
    changes: [],
    sourceEventId: getString(value, 'eventID'),
  });
}

function normalizeCsv(record: SourceRecord): NormalizedEvent {
  const cols = csvColumns(record.value);
  const get = (...names: string[]): string | undefined => {
    for (const name of names) {
      const cell = cols.get(name)?.trim();
      if (cell) return cell;
    }
    return undefined;
  };
  const doc = Object.create(null) as JsonObject;
  for (const [k, v] of cols) doc[k] = v;
  const { time, timeOriginal } = requireTime(doc, ['event datetime', 'event time']);
  const identity = parsePythonDict(get('user id') ?? '');
  const params = parsePythonDict(get('request parameters') ?? '');
  const eventName = get('event name') ?? '';
  const host = params.get('Host') ?? '';
  const bucket = params.get('bucketName');
  const service =
    serviceOf(get('event source')) ?? (bucket !== undefined || /\.s3[.-]/.test(host) ? 's3' : undefined);
  const arn = identity.get('arn') || undefined;
  const errorCode = get('error code');
  return compact({
    time,
    timeOriginal,
    source: 'aws.cloudtrail',
    action: service === undefined ? eventName : `${service}:${eventName}`,
    category: cloudtrailCategory(service, eventName),
    // The export carries no error column: without one the outcome is not known.
    outcome: errorCode !== undefined ? 'failure' : cols.has('error code') ? 'success' : 'unknown',
    actor: compact({
      id: arn ?? (identity.get('principalId') || undefined) ?? (identity.get('accountId') || undefined),
      name:
        (identity.get('userName') || undefined) ??
        (arn !== undefined ? lastSegment(arn) : undefined) ??
        get('user name') ??
        (identity.get('accountId') || undefined),
      type: identity.get('type') || undefined,
    }),
    target: bucket === undefined ? {} : s3Target(bucket, params.get('key')),
    ip: get('source ip', 'source ip address'),
    userAgent: get('request user agent', 'user agent'),
    requestId: get('request id'),
    changes: [],
    // Only CloudTrail's own UUID: other exports reuse the column for numeric ids (Windows 4624).
    sourceEventId: uuidOrUndefined(get('event id')),
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidOrUndefined(value: string | undefined): string | undefined {
  return value !== undefined && UUID.test(value) ? value : undefined;
}

function detect(value: JsonObject): number {
  if (isCsvExport(value)) return 0.8;
  const source = getString(value, 'eventSource');
  const fromAws = source !== undefined && /\.amazonaws\.com$/i.test(source);
  const hasName = getString(value, 'eventName') !== undefined;
  if (!fromAws || !hasName) return 0;
  let score = 0.7;
  if (isObject(getPath(value, 'userIdentity'))) score += 0.15;
  if (getString(value, 'eventTime', '@timestamp') !== undefined) score += 0.1;
  if (getString(value, 'eventVersion', 'eventID') !== undefined) score += 0.04;
  return score;
}

export const cloudtrailNormalizer: Normalizer = {
  format: 'aws.cloudtrail',
  label: 'AWS CloudTrail',
  detect,
  normalize: (record) => (isCsvExport(record.value) ? normalizeCsv(record) : normalizeJson(record)),
};
