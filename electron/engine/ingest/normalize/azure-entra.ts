/**
 * Microsoft Entra ID (Azure AD) audit logs: Log Analytics `AuditLogs` rows (PascalCase columns,
 * nested objects stored as JSON strings) and Microsoft Graph `directoryAudit` objects (camelCase).
 */
import { categoryFromAction, outcomeFromText } from '../../../../shared/lib/event-taxonomy.ts';
import type { EventCategory, FieldChange, NormalizedEvent } from '../../../../shared/domain/audit-event.ts';
import type { JsonObject, Normalizer, SourceRecord } from '../types.ts';
import {
  compact,
  getArray,
  getPath,
  getString,
  isObject,
  objectOrJson,
  requireTime,
} from './record-access.ts';

/** Entra audit categories, lower-cased, that map straight onto ours. */
const CATEGORY_MAP = new Map<string, EventCategory>([
  ['usermanagement', 'iam'],
  ['groupmanagement', 'iam'],
  ['rolemanagement', 'iam'],
  ['applicationmanagement', 'iam'],
  ['entitlementmanagement', 'iam'],
  ['authorizationpolicy', 'iam'],
  ['policy', 'configuration'],
  ['directorymanagement', 'configuration'],
  ['devicemanagement', 'configuration'],
  ['authentication', 'authentication'],
  ['userauthenticationmethod', 'authentication'],
  ['signinlogs', 'authentication'],
]);

/** Both shapes, read through one accessor: Graph camelCase first, then the Log Analytics column. */
function field(value: JsonObject, camel: string, pascal: string): unknown {
  return getPath(value, camel) ?? getPath(value, pascal);
}

/** modifiedProperties values are JSON-encoded (`"\"User.Read\""`): unwrap plain strings only. */
function unquote(value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith('"')) return value ?? undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' ? parsed : value;
  } catch {
    return value;
  }
}

function changesFrom(targets: readonly unknown[]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const target of targets.slice(0, 50)) {
    for (const prop of getArray(target, 'modifiedProperties').slice(0, 200)) {
      const name = getString(prop, 'displayName');
      if (name === undefined) continue;
      changes.push(
        compact({
          field: name,
          before: unquote(getPath(prop, 'oldValue')),
          after: unquote(getPath(prop, 'newValue')),
        }),
      );
    }
  }
  return changes;
}

function actorFrom(initiatedBy: unknown, value: JsonObject): NormalizedEvent['actor'] {
  const user = getPath(initiatedBy, 'user');
  if (isObject(user)) {
    const upn = getString(user, 'userPrincipalName');
    return compact({
      id: getString(user, 'id'),
      name: upn ?? getString(user, 'displayName'),
      email: upn,
      type: 'user',
    });
  }
  const app = getPath(initiatedBy, 'app');
  if (isObject(app)) {
    return compact({
      id: getString(app, 'servicePrincipalId', 'appId'),
      name: getString(app, 'displayName', 'servicePrincipalName'),
      type: 'app',
    });
  }
  const fallback = getString(value, 'InitiatingUserOrApp', 'InitiatingUser');
  return compact({ name: fallback });
}

function userAgentFrom(value: JsonObject): string | undefined {
  const direct = getString(value, 'UserAgent', 'userAgent');
  if (direct !== undefined) return direct;
  const details = objectOrJson(field(value, 'additionalDetails', 'AdditionalDetails'));
  const entry = (Array.isArray(details) ? details : []).find(
    (d) => getString(d, 'key')?.toLowerCase() === 'user-agent',
  );
  return getString(entry, 'value');
}

function normalize(record: SourceRecord): NormalizedEvent {
  const value = record.value;
  const { time, timeOriginal } = requireTime(value, [
    'activityDateTime',
    'ActivityDateTime',
    'TimeGenerated',
  ]);
  const initiatedBy = objectOrJson(field(value, 'initiatedBy', 'InitiatedBy'));
  const targetsRaw = objectOrJson(field(value, 'targetResources', 'TargetResources'));
  const targets = Array.isArray(targetsRaw) ? targetsRaw : [];
  const first = targets.find(isObject);
  const activity = (
    getString(value, 'activityDisplayName', 'OperationName', 'ActivityDisplayName') ?? ''
  ).trim();
  const category = getString(value, 'category', 'Category');
  const result = getString(value, 'result', 'Result');
  return compact({
    time,
    timeOriginal,
    source: 'azure.entra',
    action: activity,
    category: CATEGORY_MAP.get((category ?? '').toLowerCase()) ?? categoryFromAction(activity),
    outcome: outcomeFromText(result),
    actor: actorFrom(initiatedBy, value),
    target: compact({
      type: getString(first, 'type') ?? getString(value, 'targetType'),
      id: getString(first, 'id') ?? getString(value, 'targetId'),
      name: getString(first, 'displayName', 'userPrincipalName') ?? getString(value, 'targetDisplayName'),
    }),
    ip: getString(initiatedBy, 'user.ipAddress', 'app.ipAddress'),
    userAgent: userAgentFrom(value),
    requestId: getString(value, 'correlationId', 'CorrelationId'),
    message: getString(value, 'resultReason', 'ResultReason') || activity || undefined,
    changes: changesFrom(targets),
    sourceEventId: getString(value, 'id', 'Id'),
  });
}

function detect(value: JsonObject): number {
  // Graph directoryAudit
  if (
    getString(value, 'activityDateTime') !== undefined &&
    getString(value, 'activityDisplayName') !== undefined
  ) {
    return getPath(value, 'initiatedBy') !== undefined || getPath(value, 'targetResources') !== undefined
      ? 0.9
      : 0.6;
  }
  // Log Analytics AuditLogs: KQL projections may overwrite `Type`, so rely on the columns.
  const hasOperation = getString(value, 'OperationName', 'ActivityDisplayName') !== undefined;
  const hasTime = getString(value, 'ActivityDateTime', 'TimeGenerated') !== undefined;
  const hasEntraColumns =
    getPath(value, 'InitiatedBy') !== undefined || getPath(value, 'TargetResources') !== undefined;
  if (!hasOperation || !hasTime || !hasEntraColumns) return 0;
  let score = 0.75;
  if (getString(value, 'Type') === 'AuditLogs') score += 0.2;
  else if (getString(value, 'LoggedByService', 'AADOperationType') !== undefined) score += 0.15;
  return score;
}

export const azureEntraNormalizer: Normalizer = {
  format: 'azure.entra',
  label: 'Microsoft Entra ID audit',
  detect,
  normalize,
};
