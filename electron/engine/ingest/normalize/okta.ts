/** Okta System Log (`/api/v1/logs` LogEvent objects). */
import { categoryFromAction, outcomeFromText } from '../../../../shared/lib/event-taxonomy.ts';
import type { NormalizedEvent } from '../../../../shared/domain/audit-event.ts';
import type { JsonObject, Normalizer, SourceRecord } from '../types.ts';
import { compact, getArray, getPath, getString, isObject, requireTime } from './record-access.ts';

function normalize(record: SourceRecord): NormalizedEvent {
  const value = record.value;
  const { time, timeOriginal } = requireTime(value, ['published']);
  const eventType = getString(value, 'eventType') ?? getString(value, 'legacyEventType') ?? '';
  const target = getArray(value, 'target').find(isObject);
  // System events have client.ipAddress null; the request's IP chain still names the caller.
  const ip =
    getString(value, 'client.ipAddress') ??
    getString(getArray(value, 'request.ipChain').find(isObject), 'ip');
  return compact({
    time,
    timeOriginal,
    source: 'okta',
    action: eventType,
    category: categoryFromAction(eventType),
    outcome: outcomeFromText(getPath(value, 'outcome.result')),
    actor: compact({
      id: getString(value, 'actor.id'),
      name: getString(value, 'actor.alternateId', 'actor.displayName'),
      email: emailOf(getString(value, 'actor.alternateId')),
      type: getString(value, 'actor.type'),
    }),
    target: compact({
      type: getString(target, 'type'),
      id: getString(target, 'id'),
      name: getString(target, 'alternateId', 'displayName'),
    }),
    ip,
    userAgent: getString(value, 'client.userAgent.rawUserAgent'),
    sessionId: getString(value, 'authenticationContext.externalSessionId'),
    requestId: [
      getString(value, 'debugContext.debugData.requestId'),
      getString(value, 'transaction.id'),
    ].find((id) => id !== undefined && id !== 'unknown'),
    severity: getString(value, 'severity'),
    message: getString(value, 'displayMessage'),
    changes: [],
    sourceEventId: getString(value, 'uuid'),
  });
}

function emailOf(alternateId: string | undefined): string | undefined {
  return alternateId !== undefined && /^[^@\s]+@[^@\s]+$/.test(alternateId) ? alternateId : undefined;
}

function detect(value: JsonObject): number {
  const hasPublished = getString(value, 'published') !== undefined;
  const hasEventType = getString(value, 'eventType') !== undefined;
  if (!hasPublished || !hasEventType) return 0;
  let score = 0.5;
  if (isObject(getPath(value, 'actor'))) score += 0.2;
  if (getString(value, 'uuid') !== undefined) score += 0.1;
  if (isObject(getPath(value, 'outcome')) || getString(value, 'displayMessage') !== undefined) score += 0.1;
  if (getPath(value, 'legacyEventType') !== undefined || isObject(getPath(value, 'debugContext')))
    score += 0.05;
  return score;
}

export const oktaNormalizer: Normalizer = {
  format: 'okta',
  label: 'Okta System Log',
  detect,
  normalize,
};
