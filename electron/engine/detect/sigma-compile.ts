import { escapeLike, toJsonPath } from '../query/compile-sqlite.ts';
import { parseCondition, SigmaError, type Condition } from './sigma-condition.ts';
import type { Logsource, SigmaRule } from './sigma-rule.ts';

type Sql = { text: string; params: (string | number)[] };

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

interface FieldSpec {
  field: string | undefined;
  matcher: (typeof MATCHERS)[number] | 'equals';
  transforms: string[];
  all: boolean;
  cased: boolean;
  fieldref: boolean;
  reFlags: string;
}

function fieldSpec(key: string): FieldSpec {
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

function transform(values: string[], spec: FieldSpec): string[] {
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

/** A Sigma value (`*`, `?` wildcards; `\*`, `\?`, `\\` escapes) as a LIKE pattern (ESCAPE '\'). */
export function sigmaToLike(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    const next = value[i + 1];
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      out += escapeLike(next);
      i++;
    } else if (c === '*') out += '%';
    else if (c === '?') out += '_';
    else out += escapeLike(c);
  }
  return out;
}

/** The same as a GLOB pattern, which is case-sensitive (for `cased`). */
export function sigmaToGlob(value: string): string {
  let out = '';
  const literal = (c: string): string => (c === '*' || c === '?' || c === '[' ? `[${c}]` : c);
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    const next = value[i + 1];
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      out += literal(next);
      i++;
    } else if (c === '*' || c === '?') out += c;
    else out += literal(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fields.

interface FieldAccess {
  /** The value (NULL when absent), and its JSON type. */
  value: Sql;
  type: Sql;
  /** The elements of an array value, as a table with a `value` column. */
  each: Sql;
}

function fieldAccess(field: string, scope: RecordScope): FieldAccess {
  if (scope === 'auditd-record') {
    const path = field === 'type' ? '$.type' : toJsonPath(`fields.${field}`);
    return {
      value: { text: 'json_extract(rec.value, ?)', params: [path] },
      type: { text: 'json_type(rec.value, ?)', params: [path] },
      each: { text: 'json_each(rec.value, ?)', params: [path] },
    };
  }
  const path = toJsonPath(field);
  // The parsed document of a non-JSON source, else the record itself when it is JSON (a record
  // that is neither has no fields: json_extract would fail the whole query on it).
  const doc = "coalesce(events.document, iif(json_valid(events.raw), events.raw, '{}'))";
  return {
    value: { text: `json_extract(${doc}, ?)`, params: [path] },
    type: { text: `json_type(${doc}, ?)`, params: [path] },
    each: { text: `json_each(${doc}, ?)`, params: [path] },
  };
}

function join(parts: Sql[], op: 'AND' | 'OR'): Sql {
  if (parts.length === 1) return parts[0] as Sql;
  return { text: `(${parts.map((p) => p.text).join(` ${op} `)})`, params: parts.flatMap((p) => p.params) };
}

/** One value against one SQL expression `v`. */
function valueMatch(v: string, value: unknown, spec: FieldSpec, scope: RecordScope): Sql {
  if (spec.fieldref) {
    if (typeof value !== 'string') throw new SigmaError('fieldref takes a field name');
    const other = fieldAccess(value, scope).value;
    const o = `CAST(${other.text} AS TEXT)`;
    const x = `CAST(${v} AS TEXT)`;
    const text =
      spec.matcher === 'contains'
        ? `instr(${x}, ${o}) > 0`
        : spec.matcher === 'startswith'
          ? `substr(${x}, 1, length(${o})) = ${o}`
          : spec.matcher === 'endswith'
            ? `substr(${x}, -length(${o})) = ${o}`
            : `${x} = ${o}`;
    const uses = (text.match(/\?/g) ?? []).length;
    return {
      text: `(${o} IS NOT NULL AND ${text})`,
      params: Array(uses + 1).fill(other.params[0]) as string[],
    };
  }
  if (value === null) return { text: `${v} IS NULL`, params: [] };
  switch (spec.matcher) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const bound = Number(value);
      if (!Number.isFinite(bound))
        throw new SigmaError(`${spec.matcher} takes a number, not ${String(value)}`);
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[spec.matcher];
      return {
        text: `(typeof(${v}) IN ('integer', 'real') OR ${v} GLOB '*[0-9]*') AND CAST(${v} AS REAL) ${op} ?`,
        params: [bound],
      };
    }
    case 'cidr':
      return { text: `ip_in_cidr(${v}, ?) = 1`, params: [String(value)] };
    case 're':
      try {
        new RegExp(String(value), spec.reFlags);
      } catch (error) {
        throw new SigmaError(`re: ${(error as Error).message}`);
      }
      return { text: `sigma_re(${v}, ?, ?) = 1`, params: [String(value), spec.reFlags] };
    default:
      break;
  }
  if (typeof value === 'boolean')
    return { text: `(${v} = ? OR lower(CAST(${v} AS TEXT)) = ?)`, params: [value ? 1 : 0, String(value)] };
  const text = String(value);
  const wrap = (pattern: string): string =>
    spec.matcher === 'contains'
      ? `*${pattern}*`
      : spec.matcher === 'startswith'
        ? `${pattern}*`
        : spec.matcher === 'endswith'
          ? `*${pattern}`
          : pattern;
  const sql: Sql = spec.cased
    ? { text: `CAST(${v} AS TEXT) GLOB ?`, params: [sigmaToGlob(wrap(text))] }
    : { text: `CAST(${v} AS TEXT) LIKE ? ESCAPE '\\'`, params: [sigmaToLike(wrap(text))] };
  return spec.matcher === 'neq' ? { text: `NOT coalesce(${sql.text}, 0)`, params: sql.params } : sql;
}

/** Every expression `v` appears in `build` once; its parameters are repeated in place. */
function onField(access: FieldAccess, build: (v: string) => Sql): Sql {
  // An array value matches when any element does (as Sigma backends read lists in records).
  const scalar = build('__V__');
  const expand = (expr: Sql): Sql => {
    const pieces = scalar.text.split('__V__');
    const params: (string | number)[] = [];
    let text = pieces[0] as string;
    let cursor = 0;
    for (let i = 1; i < pieces.length; i++) {
      const before = ((pieces[i - 1] as string).match(/\?/g) ?? []).length;
      params.push(...scalar.params.slice(cursor, cursor + before), ...expr.params);
      cursor += before;
      text += expr.text + (pieces[i] as string);
    }
    params.push(...scalar.params.slice(cursor));
    return { text, params };
  };
  const onValue = expand(access.value);
  const onElement = expand({ text: 'element.value', params: [] });
  return {
    text: `(CASE ${access.type.text} WHEN 'array' THEN EXISTS (SELECT 1 FROM ${access.each.text} AS element WHERE ${onElement.text}) ELSE coalesce(${onValue.text}, 0) END)`,
    params: [...access.type.params, ...access.each.params, ...onElement.params, ...onValue.params],
  };
}

function fieldMatch(key: string, raw: unknown, scope: RecordScope): Sql {
  const spec = fieldSpec(key);
  const list = Array.isArray(raw) ? raw : [raw];
  if (spec.field === undefined) return keywords(list, spec);
  const access = fieldAccess(spec.field, scope);
  if (spec.matcher === 'exists') {
    const want = list[0] === true || String(list[0]).toLowerCase() === 'true';
    return { text: `${access.type.text} IS ${want ? 'NOT ' : ''}NULL`, params: access.type.params };
  }
  const stringish = list.map((v) => (typeof v === 'number' ? String(v) : v));
  const values =
    spec.transforms.length > 0
      ? transform(
          stringish.map((v) => String(v)),
          spec,
        )
      : (stringish as unknown[]);
  if (values.length === 0) throw new SigmaError(`${key}: an empty list matches nothing`);
  const one = (value: unknown): Sql => onField(access, (v) => valueMatch(v, value, spec, scope));
  if (spec.all && spec.transforms.length === 0) return join(values.map(one), 'AND');
  // A transformed value has variants (windash, base64offset): any variant of each value.
  if (spec.all) {
    const groups = list.map((v) => transform([String(v)], spec));
    return join(
      groups.map((g) => join(g.map(one), 'OR')),
      'AND',
    );
  }
  return join(values.map(one), 'OR');
}

/** Keywords: values searched anywhere in the original record's text (case-insensitive). */
function keywords(list: unknown[], spec: FieldSpec): Sql {
  if (spec.matcher !== 'equals' && spec.matcher !== 'contains')
    throw new SigmaError(`keyword lists take no ${spec.matcher} modifier`);
  const parts = list.map((value): Sql =>
    spec.cased
      ? { text: `events.raw GLOB ?`, params: [sigmaToGlob(`*${String(value)}*`)] }
      : { text: `events.raw LIKE ? ESCAPE '\\'`, params: [sigmaToLike(`*${String(value)}*`)] },
  );
  return join(parts, spec.all ? 'AND' : 'OR');
}

/** A selection: a map (every field matches) or a list of maps (any) or of keywords. */
function selection(name: string, value: unknown, scope: RecordScope): Sql {
  const record = (map: Record<string, unknown>): Sql => {
    const entries = Object.entries(map);
    if (entries.length === 0) throw new SigmaError(`selection ${name} is empty`);
    const all = join(
      entries.map(([key, v]) => fieldMatch(key, v, scope)),
      'AND',
    );
    // auditd: all the fields of a map in the same record.
    return scope === 'auditd-record' && entries.some(([key]) => !key.startsWith('|'))
      ? {
          text: `EXISTS (SELECT 1 FROM json_each(events.document, '$.records') AS rec WHERE ${all.text})`,
          params: all.params,
        }
      : all;
  };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v)))
      return join(
        value.map((m) => record(m as Record<string, unknown>)),
        'OR',
      );
    if (value.every((v) => typeof v !== 'object' || v === null)) return keywords(value, fieldSpec(''));
    throw new SigmaError(`selection ${name} mixes keywords and field maps`);
  }
  if (typeof value === 'object' && value !== null) return record(value as Record<string, unknown>);
  if (typeof value === 'string' || typeof value === 'number') return keywords([value], fieldSpec(''));
  throw new SigmaError(`selection ${name} is neither a map, a list nor a keyword`);
}

function conditionSql(node: Condition, selections: Map<string, Sql>): Sql {
  switch (node.kind) {
    case 'ref':
      return selections.get(node.name) as Sql;
    case 'not': {
      const inner = conditionSql(node.child, selections);
      return { text: `NOT coalesce(${inner.text}, 0)`, params: inner.params };
    }
    default:
      return join(
        node.children.map((c) => conditionSql(c, selections)),
        node.kind === 'and' ? 'AND' : 'OR',
      );
  }
}

/**
 * A rule as one WHERE expression over `events`: the logsource's sources, and the condition over
 * its selections. Every value, pattern and JSON path is a bound parameter. Throws SigmaError
 * with the reason for anything this engine cannot evaluate.
 */
export function compileSigma(rule: SigmaRule): Sql {
  const scope = scopeOf(rule.logsource);
  if (typeof scope === 'string') throw new SigmaError(scope);
  const names = Object.keys(rule.detection);
  const selections = new Map(
    names.map((name) => [name, selection(name, rule.detection[name], scope.record)]),
  );
  const condition = conditionSql(parseCondition(rule.condition, names), selections);
  return {
    text: `events.source IN (${scope.sources.map(() => '?').join(', ')}) AND (${condition.text})`,
    params: [...scope.sources, ...condition.params],
  };
}
