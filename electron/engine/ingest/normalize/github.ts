/** GitHub enterprise / organization / user audit log, as JSON (export or stream) or CSV export. */
import { categoryFromAction, outcomeFromActionName } from '../../../../shared/lib/event-taxonomy.ts';
import type { NormalizedEvent } from '../../../../shared/domain/audit-event.ts';
import type { JsonObject, Normalizer, SourceRecord } from '../types.ts';
import { asString, compact, getPath, getString, requireTime } from './record-access.ts';

/** GitHub actions are `category.operation` in snake case: `user.login`, `org.add_member`. */
const ACTION_RE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/** `org` is a string, an array of names, or `[]`: the first name or nothing. */
function firstName(value: unknown): string | undefined {
  if (Array.isArray(value)) return asString(value[0]);
  return asString(value);
}

function targetFrom(value: JsonObject, actor: string | undefined): NormalizedEvent['target'] {
  const repo = getString(value, 'repo', 'repository');
  if (repo !== undefined) return compact({ type: 'repository', id: getString(value, 'repo_id'), name: repo });
  const user = getString(value, 'user');
  if (user !== undefined && user !== actor)
    return compact({ type: 'user', id: getString(value, 'user_id'), name: user });
  const org = firstName(getPath(value, 'org'));
  if (org !== undefined)
    return compact({ type: 'organization', id: firstName(getPath(value, 'org_id')), name: org });
  const business = getString(value, 'business');
  if (business !== undefined)
    return compact({ type: 'business', id: getString(value, 'business_id'), name: business });
  if (user !== undefined) return compact({ type: 'user', id: getString(value, 'user_id'), name: user });
  return {};
}

function normalize(record: SourceRecord): NormalizedEvent {
  const value = record.value;
  const { time, timeOriginal } = requireTime(value, ['@timestamp', 'created_at']);
  const action = getString(value, 'action') ?? '';
  const actor = getString(value, 'actor');
  const isBot = getPath(value, 'actor_is_bot');
  return compact({
    time,
    timeOriginal,
    source: 'github',
    action,
    category:
      getString(value, 'operation_type') === 'authentication' ? 'authentication' : categoryFromAction(action),
    outcome: outcomeFromActionName(action) ?? 'success',
    actor: compact({
      id: getString(value, 'actor_id'),
      name: actor,
      type: actor === undefined ? undefined : isBot === true || isBot === 'true' ? 'bot' : 'user',
    }),
    target: targetFrom(value, actor),
    ip: getString(value, 'actor_ip', 'actor_location.ip'),
    userAgent: getString(value, 'user_agent'),
    requestId: getString(value, 'request_id'),
    changes: [],
    sourceEventId: getString(value, '_document_id'),
  });
}

function detect(value: JsonObject): number {
  const action = getString(value, 'action');
  if (action === undefined || !ACTION_RE.test(action)) return 0;
  if (getString(value, '@timestamp', 'created_at') === undefined) return 0;
  let score = 0.4;
  if (getString(value, '_document_id') !== undefined) score += 0.45;
  if (getString(value, 'actor_id') !== undefined) score += 0.2;
  if (getString(value, 'operation_type') !== undefined) score += 0.2;
  if (getString(value, 'actor', 'user') !== undefined) score += 0.05;
  return Math.min(score, 0.95);
}

export const githubNormalizer: Normalizer = {
  format: 'github',
  label: 'GitHub audit log',
  detect,
  normalize,
};
