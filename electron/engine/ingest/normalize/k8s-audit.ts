/**
 * Kubernetes API-server audit events (`audit.k8s.io/v1` and `v1beta1` `Event`). The API server
 * writes one record per stage of a request; they share `auditID`, so each stage is its own event.
 */
import { categoryFromVerb, outcomeFromHttpStatus } from '../../../../shared/lib/event-taxonomy.ts';
import type { NormalizedEvent } from '../../../../shared/domain/audit-event.ts';
import type { JsonObject, Normalizer, SourceRecord } from '../types.ts';
import { compact, getArray, getPath, getString, requireTime } from './record-access.ts';
import { fieldsDigest } from '../event-id.ts';

function actorType(username: string | undefined): string | undefined {
  if (username === undefined) return undefined;
  if (username.startsWith('system:serviceaccount:')) return 'serviceaccount';
  if (username === 'system:anonymous') return 'anonymous';
  return 'user';
}

/**
 * auditID/stage names a stage, but a client may set auditID itself (the Audit-ID request header):
 * qualified by what the API server itself recorded, a forged ID cannot make one request's events
 * pass for duplicates of another's.
 */
function stageId(value: JsonObject, auditId: string, stage: string | undefined): string {
  const digest = fieldsDigest([
    getPath(value, 'requestReceivedTimestamp'),
    getPath(value, 'verb'),
    getPath(value, 'requestURI'),
    getPath(value, 'user'),
    getPath(value, 'sourceIPs'),
  ]);
  return `${auditId}/${stage ?? ''}/${digest}`;
}

function normalize(record: SourceRecord): NormalizedEvent {
  const value = record.value;
  const { time, timeOriginal } = requireTime(value, [
    'stageTimestamp',
    'requestReceivedTimestamp',
    'timestamp',
  ]);
  const verb = getString(value, 'verb') ?? '';
  const resource = getString(value, 'objectRef.resource');
  const subresource = getString(value, 'objectRef.subresource');
  const resourcePath =
    resource === undefined ? undefined : subresource === undefined ? resource : `${resource}/${subresource}`;
  const namespace = getString(value, 'objectRef.namespace');
  const name = getString(value, 'objectRef.name');
  const username = getString(value, 'user.username');
  const auditId = getString(value, 'auditID');
  const stage = getString(value, 'stage');
  // Namespaces are cluster-scoped: their objectRef repeats the name as namespace.
  const scoped = namespace !== undefined && resource !== 'namespaces';
  const objectId = name === undefined ? undefined : scoped ? `${namespace}/${name}` : name;
  return compact({
    time,
    timeOriginal,
    source: 'k8s.audit',
    action: resourcePath === undefined ? verb : `${verb} ${resourcePath}`,
    category: categoryFromVerb(verb, resourcePath ?? getString(value, 'requestURI') ?? ''),
    outcome: outcomeFromHttpStatus(getPath(value, 'responseStatus.code')),
    actor: compact({ id: getString(value, 'user.uid'), name: username, type: actorType(username) }),
    target: compact({ type: resource, id: objectId, name }),
    ip: getString(getArray(value, 'sourceIPs'), '0'),
    userAgent: getString(value, 'userAgent'),
    requestId: auditId,
    message: getString(value, 'responseStatus.message', 'requestURI'),
    changes: [],
    sourceEventId: auditId === undefined ? undefined : stageId(value, auditId, stage),
  });
}

function detect(value: JsonObject): number {
  const kind = getString(value, 'kind');
  const apiVersion = getString(value, 'apiVersion');
  if (kind === 'Event' && apiVersion?.startsWith('audit.k8s.io/')) return 0.99;
  // Falco's captures drop apiVersion: the audit-specific fields still identify the record.
  const auditShaped =
    getString(value, 'auditID') !== undefined &&
    getString(value, 'verb') !== undefined &&
    (getString(value, 'stage') !== undefined || getString(value, 'requestURI') !== undefined);
  if (!auditShaped) return 0;
  return kind === 'Event' ? 0.9 : 0.7;
}

export const k8sAuditNormalizer: Normalizer = {
  format: 'k8s.audit',
  label: 'Kubernetes audit',
  detect,
  normalize,
};
