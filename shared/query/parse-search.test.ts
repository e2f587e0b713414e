import { describe, expect, it } from 'vitest';
import { Filter as FilterSchema } from '../domain/query.ts';
import type { Filter } from '../domain/query.ts';
import { parseSearch } from './parse-search.ts';

function parsed(text: string): Filter | undefined {
  const result = parseSearch(text);
  if (!result.ok) throw new Error(`unexpected error: ${result.error.message}`);
  return result.filter;
}

function failure(text: string): { message: string; offset: number; length: number } {
  const result = parseSearch(text);
  if (result.ok) throw new Error(`expected an error for ${text}`);
  return result.error;
}

const eq = (field: string, value: string): Filter => ({ kind: 'field', field, op: 'eq', value });
const word = (text: string): Filter => ({ kind: 'text', text, phrase: false });

describe('parseSearch', () => {
  it('parses the design example into an AND of typed predicates', () => {
    expect(parsed('actor:alice action:iam.* outcome:failure ip:10.0.0.0/8 "phrase" -excluded')).toEqual({
      kind: 'and',
      children: [
        eq('actor', 'alice'),
        { kind: 'field', field: 'action', op: 'glob', value: 'iam.*' },
        eq('outcome', 'failure'),
        { kind: 'field', field: 'ip', op: 'cidr', value: '10.0.0.0/8' },
        { kind: 'text', text: 'phrase', phrase: true },
        { kind: 'not', child: word('excluded') },
      ],
    });
  });

  it('gives empty and blank text no filter', () => {
    expect(parseSearch('')).toEqual({ ok: true, filter: undefined });
    expect(parseSearch('  \t ')).toEqual({ ok: true, filter: undefined });
  });

  it('binds AND tighter than OR and honours parentheses and NOT', () => {
    expect(parsed('a b OR c')).toEqual({
      kind: 'or',
      children: [{ kind: 'and', children: [word('a'), word('b')] }, word('c')],
    });
    expect(parsed('a AND (b OR c)')).toEqual({
      kind: 'and',
      children: [word('a'), { kind: 'or', children: [word('b'), word('c')] }],
    });
    expect(parsed('NOT (a OR b)')).toEqual({
      kind: 'not',
      child: { kind: 'or', children: [word('a'), word('b')] },
    });
    expect(parsed('-(a b) c')).toEqual({
      kind: 'and',
      children: [{ kind: 'not', child: { kind: 'and', children: [word('a'), word('b')] } }, word('c')],
    });
    // Keywords are case-sensitive: lower-case `or` is a word.
    expect(parsed('a or b')).toEqual({ kind: 'and', children: [word('a'), word('or'), word('b')] });
    // Nested groups of the same kind flatten.
    expect(parsed('a (b (c d))')).toEqual({
      kind: 'and',
      children: [word('a'), word('b'), word('c'), word('d')],
    });
  });

  it('resolves field names case-insensitively with aliases, and keeps raw paths as written', () => {
    expect(parsed('USER:bob')).toEqual(eq('actor', 'bob'));
    expect(parsed('src_ip:1.2.3.4')).toEqual(eq('ip', '1.2.3.4'));
    expect(parsed('Source_IP:1.2.3.4')).toEqual(eq('ip', '1.2.3.4'));
    expect(parsed('event:Login')).toEqual(eq('action', 'Login'));
    expect(parsed('useragent:curl')).toEqual(eq('userAgent', 'curl'));
    expect(parsed('Actor.Email:a@b.c')).toEqual(eq('actor.email', 'a@b.c'));
    expect(parsed('requestParameters.bucketName:x')).toEqual(eq('requestParameters.bucketName', 'x'));
    expect(parsed('@timestamp.x-y:1')).toEqual(eq('@timestamp.x-y', '1'));
  });

  it('keeps colons after the first one in the value', () => {
    expect(parsed('userIdentity.arn:arn:aws:iam::*')).toEqual({
      kind: 'field',
      field: 'userIdentity.arn',
      op: 'glob',
      value: 'arn:aws:iam::*',
    });
    expect(parsed('userIdentity.arn:arn:aws:iam::123:user/alice')).toEqual(
      eq('userIdentity.arn', 'arn:aws:iam::123:user/alice'),
    );
  });

  it('reads quoted values, escapes, comparisons, exists, globs and CIDR', () => {
    expect(parsed('actor:"Alice Smith"')).toEqual(eq('actor', 'Alice Smith'));
    expect(parsed('message:"say \\"hi\\" \\\\ ok"')).toEqual(eq('message', 'say "hi" \\ ok'));
    expect(parsed('actor:"a*b"')).toEqual(eq('actor', 'a*b'));
    expect(parsed('actor:a\\*b')).toEqual(eq('actor', 'a*b'));
    expect(parsed('actor:a\\*b*')).toEqual({ kind: 'field', field: 'actor', op: 'glob', value: 'a\\*b*' });
    expect(parsed('actor:a?c')).toEqual({ kind: 'field', field: 'actor', op: 'glob', value: 'a?c' });
    expect(parsed('actor:a\\ b')).toEqual(eq('actor', 'a b'));
    expect(parsed('severity:>3')).toEqual({ kind: 'field', field: 'severity', op: 'gt', value: '3' });
    expect(parsed('severity:>=3.5')).toEqual({ kind: 'field', field: 'severity', op: 'gte', value: '3.5' });
    expect(parsed('count:<-2')).toEqual({ kind: 'field', field: 'count', op: 'lt', value: '-2' });
    expect(parsed('time:<="2024-01-01 10:00"')).toEqual({
      kind: 'field',
      field: 'time',
      op: 'lte',
      value: '2024-01-01 10:00',
    });
    expect(parsed('time:>2024-01-01T10:00:00Z')).toEqual({
      kind: 'field',
      field: 'time',
      op: 'gt',
      value: '2024-01-01T10:00:00Z',
    });
    expect(parsed('sessionId:*')).toEqual({ kind: 'field', field: 'sessionId', op: 'exists' });
    expect(parsed('ip:2001:db8::/32')).toEqual({
      kind: 'field',
      field: 'ip',
      op: 'cidr',
      value: '2001:db8::/32',
    });
    expect(parsed('sourceIPAddress:10.0.0.0/8')).toEqual({
      kind: 'field',
      field: 'sourceIPAddress',
      op: 'cidr',
      value: '10.0.0.0/8',
    });
    expect(parsed('path:/usr/bin')).toEqual(eq('path', '/usr/bin'));
    expect(parsed('actor:""')).toEqual(eq('actor', ''));
  });

  it('parses time ranges into time nodes (epoch µs, UTC)', () => {
    expect(parsed('time:2024-01-01..2024-02-01')).toEqual({
      kind: 'time',
      from: 1704067200000000,
      to: 1706745600000000,
    });
    expect(parsed('time:..1700000000')).toEqual({ kind: 'time', to: 1700000000000000 });
    expect(parsed('time:2024-01-01T00:00:00.5+01:00..')).toEqual({ kind: 'time', from: 1704063600500000 });
  });

  it('treats words without a lettered field name, and escaped colons, as free text', () => {
    expect(parsed('10:30')).toEqual(word('10:30'));
    expect(parsed('::1')).toEqual(word('::1'));
    expect(parsed('foo\\:bar')).toEqual(word('foo:bar'));
    expect(parsed('\\-dash \\OR')).toEqual({ kind: 'and', children: [word('-dash'), word('OR')] });
    expect(parsed('100%')).toEqual(word('100%'));
  });

  it.each([
    ['(a b', 'unbalanced parenthesis: `(` at offset 0 is never closed', 0, 1],
    ['a (b (c)', 'unbalanced parenthesis: `(` at offset 2 is never closed', 2, 1],
    ['a b)', 'unbalanced parenthesis: `)` at offset 3 has no matching `(`', 3, 1],
    ['actor: x', 'empty value after `actor:`', 0, 6],
    ['x actor:', 'empty value after `actor:`', 2, 6],
    ['severity:>', 'empty value after `severity:>`', 0, 10],
    ['a OR', 'dangling OR: put a term after it', 2, 2],
    ['a OR OR b', 'dangling OR: put a term after it', 2, 2],
    ['OR a', '`OR` needs a term before it', 0, 2],
    ['(a OR) b', 'dangling OR: put a term after it', 3, 2],
    ['a AND', 'nothing after `AND`', 2, 3],
    ['NOT', 'nothing after `NOT`', 0, 3],
    ['x - y', '`-` must be directly followed by a term or a group (write \\- to search for a dash)', 2, 1],
    ['severity:=>3', 'unknown comparison `=>` after `severity:` (use >, >=, < or <=)', 9, 2],
    ['severity:<>3', 'unknown comparison `<>` after `severity:` (use >, >=, < or <=)', 9, 2],
    ['severity:>abc', '`abc` is not a number', 10, 3],
    ['time:>yesterday', '`yesterday` is not a time (use ISO 8601 or epoch)', 6, 9],
    ['ip:10.0/8x', '`10.0/8x` is not a valid CIDR range (like 10.0.0.0/8 or 2001:db8::/32)', 3, 7],
    ['a "unclosed', 'unclosed quote: the `"` at offset 2 is never closed', 2, 9],
    ['""', 'empty quotes: put a phrase between them', 0, 2],
    ['()', 'empty parentheses', 0, 2],
    ['__proto__.polluted:1', 'field path segment `__proto__` is not allowed', 0, 18],
    ['a.constructor:1', 'field path segment `constructor` is not allowed', 0, 13],
    ['x.prototype.y:1', 'field path segment `prototype` is not allowed', 0, 13],
    ['a..b:1', 'field `a..b` has an empty path segment', 0, 4],
    ['a/b:1', '`a/b` is not a valid field name (letters, digits, _ @ . - only)', 0, 3],
  ])('reports %j precisely', (text, message, offset, length) => {
    expect(failure(text)).toEqual({ message, offset, length });
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(failure(`${'('.repeat(5000)}a${')'.repeat(5000)}`).message).toBe('search is nested too deeply');
    expect(failure(`${'-'.repeat(100)}a`).message).toBe('search is nested too deeply');
    const ok = parsed(`${'('.repeat(20)}a OR b${')'.repeat(20)}`);
    expect(ok).toEqual({ kind: 'or', children: [word('a'), word('b')] });
  });

  it('produces trees the zod schema accepts', () => {
    const filter = parsed(
      '(actor:alice OR user:bob) -outcome:success time:2024-01-01.. "x y" ip:10.0.0.0/8 a.b.c:*',
    );
    expect(FilterSchema.safeParse(filter).success).toBe(true);
  });

  it('does not pollute prototypes with hostile field names', () => {
    parseSearch('constructor:x __proto__:y toString:z');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(parsed('toString:z')).toEqual(eq('toString', 'z'));
  });
});
