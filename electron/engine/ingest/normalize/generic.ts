/**
 * Fallback for any JSON or CSV record: guesses the canonical fields from common column names
 * (case, `_`, `-`, `.`, `@` and spaces ignored), or follows an explicit field → path mapping.
 */
import { parseTimestamp } from '../../../../shared/lib/parse-time.ts';
import {
  categoryFromAction,
  outcomeFromHttpStatus,
  outcomeFromText,
} from '../../../../shared/lib/event-taxonomy.ts';
import type { EventOutcome, NormalizedEvent } from '../../../../shared/domain/audit-event.ts';
import { RecordError } from '../types.ts';
import type { JsonObject, Normalizer, SourceRecord } from '../types.ts';
import { asString, compact, getPath, isObject } from './record-access.ts';

export const GENERIC_FIELDS = [
  'time',
  'actor',
  'action',
  'target',
  'outcome',
  'ip',
  'userAgent',
  'sessionId',
  'requestId',
  'message',
] as const;
export type GenericField = (typeof GENERIC_FIELDS)[number];
/** Field → dotted path in the record (`user.name`, `Event DateTime`). */
export type GenericMapping = Partial<Record<GenericField, string>>;

/** Candidate column names per field, canonicalized (lower case, letters and digits only), best first. */
const CANDIDATES: Readonly<Record<GenericField, readonly string[]>> = {
  time: [
    'timestamp',
    'eventtime',
    'eventdatetime',
    'time',
    'datetime',
    'date',
    'createdat',
    'created',
    'occurredat',
    'ts',
    // Windows events: UtcTime is UTC; TimeCreated is often local time without a zone.
    'utctime',
    'timecreated',
    'published',
    'eventdate',
    'logtime',
    'requesttime',
    'when',
    'loggedat',
    'timegenerated',
    'changedat',
  ],
  actor: [
    'actor',
    'user',
    'username',
    'userid',
    'useremail',
    'userprincipalname',
    'principal',
    'email',
    'login',
    'actorname',
    'actoremail',
    'actorid',
    'account',
    'accountname',
    'subjectusername',
    'performedby',
    'initiatedby',
    'changedby',
    'who',
    'owner',
  ],
  action: [
    'action',
    'eventaction',
    'event',
    'eventtype',
    'eventname',
    'activity',
    'activitytype',
    'operation',
    'operationname',
    'method',
    'command',
    'commandtag',
    'type',
    'eventid',
  ],
  target: [
    'target',
    'resource',
    'object',
    'entity',
    'targetname',
    'resourcename',
    'objectname',
    'resourceid',
    'targetuser',
    'targetusername',
    'targetobject',
    'targetfilename',
    'targetimage',
    'path',
    'url',
  ],
  outcome: [
    'outcome',
    'result',
    'status',
    'success',
    'succeeded',
    'resultstatus',
    'statuscode',
    'responsecode',
  ],
  ip: [
    'ip',
    'ipaddress',
    'clientip',
    'sourceip',
    'srcip',
    'remoteaddr',
    'remoteip',
    'sourceipaddress',
    'callerip',
    'calleripaddress',
    'clientaddress',
    'clientipaddress',
    'sourceaddress',
    'ipaddr',
    'userip',
    'actorip',
    'src',
  ],
  userAgent: ['useragent', 'ua', 'httpuseragent', 'requestuseragent', 'clientuseragent'],
  sessionId: ['sessionid', 'session', 'sid'],
  requestId: ['requestid', 'correlationid', 'traceid', 'xrequestid', 'operationid'],
  message: ['message', 'msg', 'description', 'summary', 'details', 'displaymessage', 'statement'],
};

/**
 * The mapping the generic normalizer would guess for these column names (a database table's
 * columns): a starting point the analyst edits, each field the best candidate present.
 */
export function proposeMapping(columns: readonly string[]): GenericMapping {
  const index = new Map<string, string>();
  for (const column of columns) if (!index.has(canonical(column))) index.set(canonical(column), column);
  const mapping: GenericMapping = {};
  for (const field of GENERIC_FIELDS) {
    const found = CANDIDATES[field].map((candidate) => index.get(candidate)).find((c) => c !== undefined);
    if (found !== undefined) mapping[field] = found;
  }
  return mapping;
}

/** Keys considered per record: wide CSV rows beyond this are not scanned for guesses. */
const MAX_KEYS_SCANNED = 2000;

function canonical(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Canonical column name → the record's own key (first spelling wins). */
function keyIndex(value: JsonObject): Map<string, string> {
  const index = new Map<string, string>();
  for (const key of Object.keys(value).slice(0, MAX_KEYS_SCANNED)) {
    const canon = canonical(key);
    if (!index.has(canon)) index.set(canon, key);
  }
  return index;
}

/** Nested actor/target objects (`"user": {"name": …}`) reduce to their most telling member. */
function scalar(value: unknown): string | undefined {
  if (isObject(value)) {
    for (const member of ['name', 'username', 'email', 'login', 'displayName', 'id']) {
      const found = asString(Object.hasOwn(value, member) ? value[member] : undefined);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return asString(value);
}

function outcomeOf(value: unknown): EventOutcome {
  if (typeof value === 'number') return outcomeFromHttpStatus(value);
  const text = outcomeFromText(value);
  return text === 'unknown' ? outcomeFromHttpStatus(value) : text;
}

/**
 * A generic normalizer. Fields named in `mapping` are read from exactly that dotted path; the
 * rest are guessed from common column names.
 */
export function createGenericNormalizer(mapping: GenericMapping = {}): Normalizer {
  function lookup(value: JsonObject, index: Map<string, string>, field: GenericField): unknown {
    const path = mapping[field];
    if (path !== undefined) return getPath(value, path);
    for (const candidate of CANDIDATES[field]) {
      const key = index.get(candidate);
      if (key === undefined) continue;
      const found = value[key];
      if (found !== undefined && found !== null && found !== '') return found;
    }
    return undefined;
  }

  function findTime(value: JsonObject, index: Map<string, string>): { time: number; timeOriginal: string } {
    const paths =
      mapping.time !== undefined ? [mapping.time] : CANDIDATES.time.flatMap((c) => index.get(c) ?? []);
    for (const path of paths) {
      const raw = mapping.time !== undefined ? getPath(value, path) : value[path];
      if (typeof raw !== 'string' && typeof raw !== 'number') continue;
      const parsed = parseTimestamp(raw);
      if (parsed) return { time: parsed.time, timeOriginal: String(raw) };
    }
    const tried = mapping.time !== undefined ? [mapping.time] : CANDIDATES.time;
    throw new RecordError(`no timestamp field (tried ${tried.join(', ')})`);
  }

  function normalize(record: SourceRecord): NormalizedEvent {
    const value = record.value;
    const index = keyIndex(value);
    const { time, timeOriginal } = findTime(value, index);
    const action = scalar(lookup(value, index, 'action')) ?? '';
    const actor = scalar(lookup(value, index, 'actor'));
    const target = scalar(lookup(value, index, 'target'));
    return compact({
      time,
      timeOriginal,
      source: 'generic',
      action,
      category: categoryFromAction(action),
      outcome: outcomeOf(lookup(value, index, 'outcome')),
      actor: compact({
        name: actor,
        email: actor !== undefined && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(actor) ? actor : undefined,
      }),
      target: compact({ name: target }),
      ip: scalar(lookup(value, index, 'ip')),
      userAgent: scalar(lookup(value, index, 'userAgent')),
      sessionId: scalar(lookup(value, index, 'sessionId')),
      requestId: scalar(lookup(value, index, 'requestId')),
      message: scalar(lookup(value, index, 'message')),
      changes: [],
    });
  }

  return {
    format: 'generic',
    label: 'Generic (auto-mapped)',
    // Anything object-shaped can be imported generically, but any real format should win.
    detect: (value) => (isObject(value) ? 0.1 : 0),
    normalize,
  };
}

/** The guessing instance used when no vendor format claims a file. */
export const genericNormalizer: Normalizer = createGenericNormalizer();
