/**
 * Google Workspace Reports API activities (`activities.list` items, `kind: admin#reports#activity`).
 * Only the first entry of `events[]` is mapped; the full activity stays in `raw`.
 */
import { categoryFromAction, outcomeFromActionName } from '../../../../shared/lib/event-taxonomy.ts';
import type { EventCategory, FieldChange, NormalizedEvent } from '../../../../shared/domain/audit-event.ts';
import type { JsonObject, Normalizer, SourceRecord } from '../types.ts';
import { asString, compact, getArray, getPath, getString, isObject, requireTime } from './record-access.ts';

/** Parameters naming the object acted on, in priority order, with its type. */
const TARGET_PARAMS: ReadonlyArray<readonly [string, string]> = [
  ['USER_EMAIL', 'user'],
  ['GROUP_EMAIL', 'group'],
  ['DEVICE_ID', 'device'],
  ['APPLICATION_NAME', 'application'],
  ['SETTING_NAME', 'setting'],
  ['ROLE_NAME', 'role'],
  ['ORG_UNIT_NAME', 'org_unit'],
  ['DOMAIN_NAME', 'domain'],
  ['doc_title', 'document'],
  ['doc_id', 'document'],
];

/** Event parameters by name; a Map so parameter names from the input never touch a prototype. */
function parameters(event: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const param of getArray(event, 'parameters').slice(0, 500)) {
    const name = getString(param, 'name');
    if (name === undefined || out.has(name)) continue;
    const value =
      getPath(param, 'value') ??
      getPath(param, 'multiValue') ??
      getPath(param, 'intValue') ??
      getPath(param, 'boolValue') ??
      getPath(param, 'multiIntValue');
    out.set(name, value);
  }
  return out;
}

function categoryOf(
  application: string | undefined,
  eventType: string | undefined,
  name: string,
): EventCategory {
  if (application === 'login') return 'authentication';
  const fromName = categoryFromAction(name);
  if (fromName !== 'other' && fromName !== 'data_change') return fromName;
  const fromType = eventType === undefined ? 'other' : categoryFromAction(eventType);
  return fromType !== 'other' ? fromType : fromName;
}

function changesFrom(params: Map<string, unknown>, eventName: string): FieldChange[] {
  if (!params.has('OLD_VALUE') && !params.has('NEW_VALUE')) return [];
  const field = asString(params.get('SETTING_NAME')) ?? eventName;
  return [compact({ field, before: params.get('OLD_VALUE'), after: params.get('NEW_VALUE') })];
}

function normalize(record: SourceRecord): NormalizedEvent {
  const value = record.value;
  const { time, timeOriginal } = requireTime(value, ['id.time']);
  const event = getArray(value, 'events').find(isObject);
  const name = getString(event, 'name') ?? '';
  const eventType = getString(event, 'type');
  const application = getString(value, 'id.applicationName');
  const params = parameters(event);
  const targetEntry = TARGET_PARAMS.find(([param]) => asString(params.get(param)) !== undefined);
  const qualifier = getString(value, 'id.uniqueQualifier');
  const email = getString(value, 'actor.email');
  return compact({
    time,
    timeOriginal,
    source: 'google.workspace',
    action: name,
    category: categoryOf(application, eventType, name),
    // Admin activities are recorded once applied; other applications name failures explicitly.
    outcome:
      outcomeFromActionName(name) ??
      (application === 'admin' || /success/i.test(name) ? 'success' : 'unknown'),
    actor: compact({
      id: getString(value, 'actor.profileId', 'actor.key'),
      name: email ?? getString(value, 'actor.key'),
      email,
      type: getString(value, 'actor.callerType'),
    }),
    target:
      targetEntry === undefined ? {} : { type: targetEntry[1], name: asString(params.get(targetEntry[0])) },
    ip: getString(value, 'ipAddress'),
    message:
      [application, eventType, name].filter((s) => s !== undefined && s !== '').join(' / ') || undefined,
    changes: changesFrom(params, name),
    // uniqueQualifier only disambiguates activities of one application that share a timestamp.
    sourceEventId: qualifier === undefined ? undefined : `${application ?? ''}/${timeOriginal}/${qualifier}`,
  });
}

function detect(value: JsonObject): number {
  if (getString(value, 'kind') === 'admin#reports#activity') return 0.99;
  const shaped =
    getString(value, 'id.time') !== undefined &&
    getString(value, 'id.applicationName') !== undefined &&
    Array.isArray(getPath(value, 'events'));
  return shaped ? 0.85 : 0;
}

export const googleWorkspaceNormalizer: Normalizer = {
  format: 'google.workspace',
  label: 'Google Workspace audit',
  detect,
  normalize,
};
