import { ipInCidr } from '../query/ip-match.ts';
import { parseCondition, SigmaError, type Condition } from './sigma-condition.ts';
import {
  fieldSpec,
  scopeOf,
  sigmaValuePattern,
  transform,
  type FieldSpec,
  type RecordScope,
} from './sigma-modifiers.ts';
import type { SigmaRule } from './sigma-rule.ts';

/** What a rule reads of one event: its record as data (JSON, or the parsed document) and as text. */
export interface SigmaEvent {
  doc: unknown;
  raw: string;
}

/** A test on one record (the event's document, or one auditd record). */
type RecordTest = (record: Record<string, unknown> | undefined, event: SigmaEvent) => boolean;
type EventTest = (event: SigmaEvent) => boolean;

export interface CompiledRule {
  rule: SigmaRule;
  /** The imported sources the rule's logsource reads. */
  sources: string[];
  matches: EventTest;
  /**
   * A field whose value (lower-cased) must be one of `values` for the rule to match at all, when
   * the rule says so: lets a scan test each event only against the rules it could match.
   */
  guard?: Guard;
}

export interface Guard {
  field: string;
  values: Set<string>;
}

/** A field of a record by its dotted path (`requestParameters.userName`). */
export function fieldValue(record: unknown, path: string): unknown {
  return valueAt(record, path.split('.'));
}

function valueAt(record: unknown, keys: readonly string[]): unknown {
  let node = record;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A value as text the way it is compared: numbers as written, objects as JSON. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A numeric reading of text as SQL would take it: a leading number, else none. */
function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const parsed = Number.parseFloat(asText(value));
  return Number.isFinite(parsed) ? parsed : undefined;
}

function valueTest(
  expected: unknown,
  spec: FieldSpec,
  scope: RecordScope,
): (actual: unknown, record: Record<string, unknown> | undefined) => boolean {
  if (spec.fieldref) {
    if (typeof expected !== 'string') throw new SigmaError('fieldref takes a field name');
    const readOther = reader(expected, scope);
    return (actual, record) => {
      const reference = readOther(record);
      if (reference === undefined || reference === null || actual === undefined || actual === null)
        return false;
      return compareText(spec.matcher, asText(actual), asText(reference));
    };
  }
  if (expected === null) return (actual) => actual === undefined || actual === null;
  switch (spec.matcher) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const bound = Number(expected);
      if (!Number.isFinite(bound))
        throw new SigmaError(`${spec.matcher} takes a number, not ${String(expected)}`);
      const compare = {
        gt: (n: number) => n > bound,
        gte: (n: number) => n >= bound,
        lt: (n: number) => n < bound,
        lte: (n: number) => n <= bound,
      }[spec.matcher];
      return (actual) => {
        if (actual === undefined || actual === null) return false;
        const n = asNumber(actual);
        return n !== undefined && compare(n);
      };
    }
    case 'cidr': {
      const range = String(expected);
      return (actual) => actual !== undefined && actual !== null && ipInCidr(asText(actual), range) === 1;
    }
    case 're': {
      let pattern: RegExp;
      try {
        pattern = new RegExp(String(expected), spec.reFlags);
      } catch (error) {
        throw new SigmaError(`re: ${(error as Error).message}`);
      }
      // Text the pattern cannot match without is looked for first: far cheaper than running a
      // backtracking pattern like `.+:assumed-role/aws:.+` over every event.
      const literal = requiredLiteral(String(expected));
      const folded = spec.reFlags.includes('i');
      const want = literal && folded ? literal.toLowerCase() : literal;
      return (actual) => {
        if (actual === undefined || actual === null) return false;
        const text = asText(actual);
        if (want !== undefined && !(folded ? text.toLowerCase() : text).includes(want)) return false;
        return pattern.test(text);
      };
    }
    default:
      break;
  }
  if (typeof expected === 'boolean')
    return (actual) =>
      actual === expected ||
      (actual !== undefined && actual !== null && asText(actual).toLowerCase() === String(expected));
  const matcher = spec.matcher === 'neq' ? 'equals' : spec.matcher;
  const test =
    plainTest(asText(expected), matcher, spec.cased) ?? regexTest(asText(expected), matcher, spec.cased);
  return spec.matcher === 'neq' ? (actual) => !test(actual) : test;
}

/**
 * The longest run of plain characters every match of a regular expression contains, when that is
 * certain: none for patterns with alternation, classes, groups or escapes (kept simple on
 * purpose); a run's last character is dropped when a quantifier follows it.
 */
export function requiredLiteral(pattern: string): string | undefined {
  if (/[|[\]()\\]/.test(pattern)) return undefined;
  let best = '';
  for (const match of pattern.matchAll(/[^.^$*+?{}]+/g)) {
    const after = pattern[match.index + match[0].length];
    const run = after === '?' || after === '*' || after === '{' ? match[0].slice(0, -1) : match[0];
    if (run.length > best.length) best = run;
  }
  return best.length >= 3 ? best : undefined;
}

function regexTest(
  expected: string,
  matcher: FieldSpec['matcher'],
  cased: boolean,
): (actual: unknown) => boolean {
  const pattern = sigmaValuePattern(expected, matcher, cased);
  return (actual) => actual !== undefined && actual !== null && pattern.test(asText(actual));
}

/**
 * A value without wildcards or escapes compared as text, no regular expression: most rules are
 * `eventName: X` or `eventSource: Y`, and a case is a million events per rule.
 */
function plainTest(
  expected: string,
  matcher: FieldSpec['matcher'],
  cased: boolean,
): ((actual: unknown) => boolean) | undefined {
  if (/[*?\\]/.test(expected)) return undefined;
  const want = cased ? expected : expected.toLowerCase();
  return (actual) => {
    if (actual === undefined || actual === null) return false;
    const text = asText(actual);
    return compareText(matcher, cased ? text : text.toLowerCase(), want);
  };
}

/** `text` against `want` as the matcher says: whole, contained, at the start or the end. */
function compareText(matcher: FieldSpec['matcher'], text: string, want: string): boolean {
  if (matcher === 'contains') return text.includes(want);
  if (matcher === 'startswith') return text.startsWith(want);
  if (matcher === 'endswith') return text.endsWith(want);
  return text === want;
}

/** A field of one record: auditd records keep `type` beside their `fields`. */
type Reader = (record: Record<string, unknown> | undefined) => unknown;

/** How a field of one record is read (its path split once): auditd records keep `type` beside their `fields`. */
function reader(field: string, scope: RecordScope): Reader {
  const keys = field.split('.');
  if (scope === 'auditd-record')
    return field === 'type' ? (record) => record?.type : (record) => valueAt(record?.fields, keys);
  return (record) => valueAt(record, keys);
}

function fieldTest(key: string, raw: unknown, scope: RecordScope): RecordTest {
  const spec = fieldSpec(key);
  const list = Array.isArray(raw) ? raw : [raw];
  if (spec.field === undefined) {
    const test = keywords(list, spec);
    return (_, event) => test(event);
  }
  const field = spec.field;
  if (spec.matcher === 'exists') {
    const want = list[0] === true || String(list[0]).toLowerCase() === 'true';
    const read = reader(field, scope);
    return (record) => (read(record) !== undefined) === want;
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
  const read = reader(field, scope);
  const one = (expected: unknown): RecordTest => {
    const test = valueTest(expected, spec, scope);
    return (record) => {
      const actual = read(record);
      // An array matches when any element does.
      return Array.isArray(actual) ? actual.some((element) => test(element, record)) : test(actual, record);
    };
  };
  if (spec.all) {
    // Each value (with any of its transformed variants) must match.
    const groups = (
      spec.transforms.length > 0 ? list.map((v) => transform([String(v)], spec)) : values.map((v) => [v])
    ).map((group) => group.map(one));
    return (record, event) => groups.every((group) => group.some((test) => test(record, event)));
  }
  const tests = values.map(one);
  return (record, event) => tests.some((test) => test(record, event));
}

/** Keywords: values searched anywhere in the original record's text. */
function keywords(list: unknown[], spec: FieldSpec): EventTest {
  if (spec.matcher !== 'equals' && spec.matcher !== 'contains')
    throw new SigmaError(`keyword lists take no ${spec.matcher} modifier`);
  const patterns = list.map((value) => sigmaValuePattern(asText(value), 'contains', spec.cased));
  return spec.all
    ? (event) => patterns.every((p) => p.test(event.raw))
    : (event) => patterns.some((p) => p.test(event.raw));
}

function selectionTest(name: string, value: unknown, scope: RecordScope): EventTest {
  const map = (fields: Record<string, unknown>): EventTest => {
    const entries = Object.entries(fields);
    if (entries.length === 0) throw new SigmaError(`selection ${name} is empty`);
    // Cheap and selective tests first (`every` stops at the first miss): a regular expression
    // or a keyword search runs only on events the plain comparisons let through.
    const tests = entries
      .map(([key, v]) => ({ test: fieldTest(key, v, scope), cost: cost(key, v) }))
      .sort((a, b) => a.cost - b.cost)
      .map((t) => t.test);
    const all: RecordTest = (record, event) => tests.every((test) => test(record, event));
    if (scope === 'auditd-record') {
      // All the fields of a map in the same record, as Sigma reads auditd one line at a time.
      return (event) => {
        const records = fieldValue(event.doc, 'records');
        return Array.isArray(records) && records.some((r) => all(r as Record<string, unknown>, event));
      };
    }
    return (event) => all(event.doc as Record<string, unknown>, event);
  };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
      const maps = value.map((m) => map(m as Record<string, unknown>));
      return (event) => maps.some((test) => test(event));
    }
    if (value.every((v) => typeof v !== 'object' || v === null)) return keywords(value, fieldSpec(''));
    throw new SigmaError(`selection ${name} mixes keywords and field maps`);
  }
  if (typeof value === 'object' && value !== null) return map(value as Record<string, unknown>);
  if (typeof value === 'string' || typeof value === 'number') return keywords([value], fieldSpec(''));
  throw new SigmaError(`selection ${name} is neither a map, a list nor a keyword`);
}

/** A rough price of a field test: plain comparisons, then patterns, then regexes and keywords. */
function cost(key: string, value: unknown): number {
  const spec = fieldSpec(key);
  if (spec.field === undefined) return 4;
  if (spec.matcher === 're' || spec.fieldref) return 3;
  if (spec.transforms.length > 0 || spec.matcher === 'cidr') return 2;
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => typeof v === 'string' && /[*?\\]/.test(v)) ? 1 : 0;
}

function conditionTest(node: Condition, selections: Map<string, EventTest>): EventTest {
  switch (node.kind) {
    case 'ref':
      return selections.get(node.name) as EventTest;
    case 'not': {
      const inner = conditionTest(node.child, selections);
      return (event) => !inner(event);
    }
    default: {
      const children = node.children.map((c) => conditionTest(c, selections));
      return node.kind === 'and'
        ? (event) => children.every((c) => c(event))
        : (event) => children.some((c) => c(event));
    }
  }
}

/**
 * A rule as a test over one event at a time, so a case is read once for all rules (and a live
 * stream can be tested as it arrives, with the same code). Throws SigmaError with the reason for
 * anything this engine cannot evaluate.
 */
export function compileRule(rule: SigmaRule): CompiledRule {
  const scope = scopeOf(rule.logsource);
  if (typeof scope === 'string') throw new SigmaError(scope);
  const names = Object.keys(rule.detection);
  const selections = new Map(
    names.map((name) => [name, selectionTest(name, rule.detection[name], scope.record)]),
  );
  const condition = parseCondition(rule.condition, names);
  const guard = scope.record === 'document' ? conditionGuard(condition, rule.detection) : undefined;
  return {
    rule,
    sources: scope.sources,
    matches: conditionTest(condition, selections),
    ...(guard ? { guard } : {}),
  };
}

/** Plain (no modifier, no wildcard) text values of a field: what a guard can be made of. */
function plainValues(key: string, value: unknown): Guard | undefined {
  const spec = fieldSpec(key);
  if (spec.field === undefined || spec.matcher !== 'equals' || spec.transforms.length > 0 || spec.fieldref)
    return undefined;
  const values = Array.isArray(value) ? value : [value];
  if (!values.every((v) => (typeof v === 'string' && !/[*?\\]/.test(v)) || typeof v === 'number'))
    return undefined;
  if (spec.all && values.length > 1) return undefined;
  return { field: spec.field, values: new Set(values.map((v) => String(v).toLowerCase())) };
}

function selectionGuard(value: unknown): Guard | undefined {
  const mapGuard = (map: Record<string, unknown>): Guard | undefined => {
    const guards = Object.entries(map).flatMap(([key, v]) => plainValues(key, v) ?? []);
    // The field most rules share first, so that one lookup serves many rules.
    return (
      guards.find((g) => g.field === 'eventName') ?? guards.find((g) => g.field === 'eventType') ?? guards[0]
    );
  };
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) return undefined;
    return union(value.map((m) => mapGuard(m as Record<string, unknown>)));
  }
  return typeof value === 'object' && value !== null ? mapGuard(value as Record<string, unknown>) : undefined;
}

/** One guard covering every alternative, when they all guard the same field. */
function union(guards: (Guard | undefined)[]): Guard | undefined {
  const first = guards[0];
  if (!first || guards.some((g) => g === undefined || g.field !== first.field)) return undefined;
  return { field: first.field, values: new Set(guards.flatMap((g) => [...(g as Guard).values])) };
}

/**
 * A guard the whole condition implies: a selection's own; for `and`, any child's (the first
 * found); for `or`, every child's on the same field; none through `not`.
 */
function conditionGuard(node: Condition, detection: Record<string, unknown>): Guard | undefined {
  switch (node.kind) {
    case 'ref':
      return selectionGuard(detection[node.name]);
    case 'not':
      return undefined;
    case 'and':
      for (const child of node.children) {
        const guard = conditionGuard(child, detection);
        if (guard) return guard;
      }
      return undefined;
    default:
      return union(node.children.map((child) => conditionGuard(child, detection)));
  }
}
