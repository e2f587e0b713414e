import { SigmaError } from './sigma-condition.ts';
import type { Logsource } from './sigma-rule.ts';

/**
 * Where a rule's fields are read. `document`: the event's original record (JSON, or the parsed
 * document of a non-JSON source). `auditd-record`: each record of an auditd event on its own
 * (`type` and its fields), as Sigma reads auditd one line at a time.
 */
export type RecordScope = 'document' | 'auditd-record';
export interface Scope {
  sources: string[];
  record: RecordScope;
}

/** The logsources this engine can evaluate, and which imported sources they read. */
export function scopeOf(logsource: Logsource): Scope | string {
  const { product, service } = logsource;
  if (product === 'aws' && (service === undefined || service === 'cloudtrail'))
    return { sources: ['aws.cloudtrail'], record: 'document' };
  if (product === 'okta' && (service === undefined || service === 'okta'))
    return { sources: ['okta'], record: 'document' };
  if (product === 'github' && (service === undefined || service === 'audit'))
    return { sources: ['github'], record: 'document' };
  if (product === 'kubernetes' && (service === undefined || service === 'audit'))
    return { sources: ['k8s.audit'], record: 'document' };
  if (product === 'linux' && service === 'auditd')
    return { sources: ['linux.auditd'], record: 'auditd-record' };
  if (product === 'azure' && (service === 'auditlogs' || service === 'signinlogs'))
    return { sources: ['azure.entra'], record: 'document' };
  if (product === 'gcp' && service?.startsWith('google_workspace'))
    return { sources: ['google.workspace'], record: 'document' };
  return `logsource ${JSON.stringify(logsource)} is not one Auditscope imports (aws/cloudtrail, okta, github/audit, kubernetes/audit, linux/auditd, azure/auditlogs|signinlogs, gcp/google_workspace)`;
}

const MATCHERS = [
  'contains',
  'startswith',
  'endswith',
  're',
  'cidr',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'neq',
] as const;
const TRANSFORMS = ['base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'windash'] as const;
const UNSUPPORTED: Record<string, string> = {
  expand: 'needs placeholder values from a processing pipeline',
  minute: 'time-part modifiers are not supported',
  hour: 'time-part modifiers are not supported',
  day: 'time-part modifiers are not supported',
  week: 'time-part modifiers are not supported',
  month: 'time-part modifiers are not supported',
  year: 'time-part modifiers are not supported',
};

export interface FieldSpec {
  field: string | undefined;
  matcher: (typeof MATCHERS)[number] | 'equals';
  transforms: string[];
  all: boolean;
  cased: boolean;
  fieldref: boolean;
  reFlags: string;
}

/** A detection key (`field|modifier|…`) read: the field, how values match, how they are transformed. */
export function fieldSpec(key: string): FieldSpec {
  const [field, ...modifiers] = key.split('|');
  const spec: FieldSpec = {
    field: field === '' ? undefined : field,
    matcher: 'equals',
    transforms: [],
    all: false,
    cased: false,
    fieldref: false,
    reFlags: '',
  };
  for (const raw of modifiers) {
    const modifier = raw.toLowerCase();
    if (UNSUPPORTED[modifier]) throw new SigmaError(`modifier ${modifier}: ${UNSUPPORTED[modifier]}`);
    if ((MATCHERS as readonly string[]).includes(modifier)) {
      if (spec.matcher !== 'equals')
        throw new SigmaError(`modifiers ${spec.matcher} and ${modifier} together`);
      spec.matcher = modifier as FieldSpec['matcher'];
    } else if ((TRANSFORMS as readonly string[]).includes(modifier)) spec.transforms.push(modifier);
    else if (modifier === 'all') spec.all = true;
    else if (modifier === 'cased') spec.cased = true;
    else if (modifier === 'fieldref') spec.fieldref = true;
    else if (modifier === 'i' || modifier === 'm' || modifier === 's') {
      if (spec.matcher !== 're') throw new SigmaError(`modifier ${modifier} applies to re only`);
      spec.reFlags += modifier;
    } else throw new SigmaError(`unknown modifier ${modifier}`);
  }
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Value transformations (applied before matching).

function encode(value: string, encoding: string | undefined): Buffer {
  if (encoding === 'utf16le' || encoding === 'wide') return Buffer.from(value, 'utf16le');
  if (encoding === 'utf16be') return Buffer.from(value, 'utf16le').swap16();
  if (encoding === 'utf16') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(value, 'utf16le')]);
  return Buffer.from(value, 'utf8');
}

/** The three base64 renderings of `bytes` at any offset, trimmed of the characters that depend on neighbours. */
function base64Offsets(bytes: Buffer): string[] {
  const starts = [0, 2, 3];
  const ends = [0, -3, -2];
  return [0, 1, 2].map((i) => {
    const encoded = Buffer.concat([Buffer.alloc(i), bytes]).toString('base64');
    const end = ends[(bytes.length + i) % 3] as number;
    return encoded.slice(starts[i], end === 0 ? undefined : end);
  });
}

/** Windows command-line dashes: each leading `-` or `/` of a word in every form Windows accepts. */
function windashVariants(value: string): string[] {
  const dashes = ['-', '/', '\u2013', '\u2014', '\u2015'];
  const positions = [...value.matchAll(/(?<=^|\s)[-/]/g)].map((m) => m.index);
  if (positions.length === 0) return [value];
  if (positions.length > 3) return dashes.map((d) => value.replace(/(?<=^|\s)[-/]/g, d));
  let variants = [value];
  for (const at of positions)
    variants = variants.flatMap((v) => dashes.map((d) => v.slice(0, at) + d + v.slice(at + 1)));
  return [...new Set(variants)];
}

/** Values with the key's transformations applied (base64, base64offset, windash): the forms to match. */
export function transform(values: string[], spec: FieldSpec): string[] {
  let out = values;
  const encoding = spec.transforms.find((t) => t.startsWith('utf16') || t === 'wide');
  if (encoding && !spec.transforms.some((t) => t.startsWith('base64')))
    throw new SigmaError(`modifier ${encoding} needs base64 or base64offset after it`);
  for (const t of spec.transforms) {
    if (t === 'windash') out = out.flatMap(windashVariants);
    if (t === 'base64') out = out.map((v) => encode(v, encoding).toString('base64'));
    if (t === 'base64offset') out = out.flatMap((v) => base64Offsets(encode(v, encoding)));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Patterns.

const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/**
 * A Sigma value (`*` any run, `?` one character; `\*`, `\?`, `\\` escape them; any other
 * backslash is itself) as a regular expression over the whole text: `contains`, `startswith` and
 * `endswith` open its ends. Case-insensitive unless `cased`.
 */
export function sigmaValuePattern(value: string, matcher: FieldSpec['matcher'], cased: boolean): RegExp {
  let source = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    const next = value[i + 1];
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      source += next.replace(REGEXP_SPECIAL, '\\$&');
      i++;
    } else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else source += c.replace(REGEXP_SPECIAL, '\\$&');
  }
  const open = matcher === 'contains';
  const head = open || matcher === 'endswith' ? '' : '^';
  const tail = open || matcher === 'startswith' ? '' : '$';
  return new RegExp(`${head}${source}${tail}`, cased ? '' : 'i');
}
