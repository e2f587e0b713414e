import { describe, expect, it } from 'vitest';
import type { FieldFilter, Filter } from '../domain/query.ts';
import { FIELDS, formatTimeValue, resolveField } from './fields.ts';
import { formatSearch } from './format-search.ts';
import { parseSearch } from './parse-search.ts';
import { prng } from '../../test/support/prng.ts';

const ALPHABET = [
  'a',
  'B',
  'z',
  '0',
  '9',
  ' ',
  '\t',
  '(',
  ')',
  '"',
  '\\',
  ':',
  '*',
  '?',
  '<',
  '>',
  '=',
  '-',
  '/',
  '.',
  '%',
  '_',
  "'",
  'é',
  '\u02bc',
  '\0',
  'OR',
  'AND',
  'NOT',
  '..',
];

function generator(seed: number) {
  const random = prng(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const str = (min: number, max: number): string => {
    let s = '';
    const n = min + int(max - min + 1);
    for (let i = 0; i < n; i += 1) s += pick(ALPHABET);
    return s;
  };
  const rawPath = (): string => {
    for (;;) {
      const segs = Array.from(
        { length: 1 + int(3) },
        () => pick(['a', 'Zed', '_x', '@t', 'b-c', 'user9', 'OR', 'arn']) + pick(['', '1', '_2']),
      );
      const path = segs.join('.');
      if (resolveField(path) === undefined && /[A-Za-z]/.test(path)) return path;
    }
  };
  const textFields = FIELDS.filter((f) => f.kind === 'text').map((f) => f.name);
  const globPattern = (): string => {
    let p = '';
    while (!/(^|[^\\])(\\\\)*[*?]/.test(p) || p === '*') {
      p = '';
      for (let i = 0, n = 1 + int(6); i < n; i += 1) {
        const c = pick([...ALPHABET, '*', '?', '*']);
        p += c === '*' || c === '?' ? (random() < 0.7 ? c : `\\${c}`) : c.replace(/[\\*?]/g, (m) => `\\${m}`);
      }
    }
    return p;
  };
  const iso = (): string => formatTimeValue(int(4_000_000_000) * 1_000_000 + int(1_000_000));
  const field = (): FieldFilter => {
    const name = random() < 0.5 ? pick(textFields) : random() < 0.3 ? 'time' : rawPath();
    const op = pick(['eq', 'glob', 'cidr', 'gt', 'gte', 'lt', 'lte', 'exists'] as const);
    if (op === 'exists') return { kind: 'field', field: name, op };
    if (name === 'time')
      return { kind: 'field', field: name, op: op === 'glob' || op === 'cidr' ? 'eq' : op, value: iso() };
    if (op === 'eq') return { kind: 'field', field: name, op, value: str(0, 6) };
    if (op === 'glob') return { kind: 'field', field: name, op, value: globPattern() };
    if (op === 'cidr')
      return {
        kind: 'field',
        field: name,
        op,
        value: pick(['10.0.0.0/8', '192.168.1.7/32', '2001:db8::/32', '::ffff:1.2.3.4/128']),
      };
    return { kind: 'field', field: name, op, value: pick(['0', '-3', '2.5', '1e3', '42']) };
  };
  const leaf = (): Filter => {
    const r = random();
    if (r < 0.55) return field();
    if (r < 0.9) return { kind: 'text', text: str(1, 6), phrase: random() < 0.5 };
    const from = random() < 0.7 ? int(4_000_000_000) * 1_000_000 + int(1_000_000) : undefined;
    const to = from === undefined || random() < 0.5 ? int(4_000_000_000) * 1_000_000 : undefined;
    return { kind: 'time', ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
  };
  const tree = (depth: number, parent?: 'and' | 'or'): Filter => {
    const r = random();
    if (depth <= 0 || r < 0.4) return leaf();
    if (r < 0.55) return { kind: 'not', child: tree(depth - 1) };
    // Normal form: a group never directly holds a group of its own kind.
    const kind = parent === 'and' ? 'or' : parent === 'or' ? 'and' : pick(['and', 'or'] as const);
    return { kind, children: Array.from({ length: 2 + int(3) }, () => tree(depth - 1, kind)) };
  };
  return tree;
}

describe('formatSearch', () => {
  it('renders readable text for common trees', () => {
    expect(formatSearch(undefined)).toBe('');
    expect(
      formatSearch({
        kind: 'and',
        children: [
          { kind: 'field', field: 'actor', op: 'eq', value: 'alice' },
          {
            kind: 'or',
            children: [
              { kind: 'text', text: 'a b', phrase: true },
              { kind: 'text', text: 'OR', phrase: false },
            ],
          },
          {
            kind: 'not',
            child: { kind: 'field', field: 'userIdentity.arn', op: 'glob', value: 'arn:aws:*' },
          },
          { kind: 'field', field: 'message', op: 'eq', value: 'has space' },
          { kind: 'field', field: 'severity', op: 'gte', value: '3' },
          { kind: 'time', from: 1704067200000000, to: 1704067200000001 },
        ],
      }),
    ).toBe(
      'actor:alice ("a b" OR \\OR) -userIdentity.arn:arn:aws:* message:"has space" severity:>=3 time:2024-01-01T00:00:00Z..2024-01-01T00:00:00.000001Z',
    );
    expect(formatSearch({ kind: 'text', text: 'user:x', phrase: false })).toBe('user\\:x');
    expect(formatSearch({ kind: 'text', text: '-x', phrase: false })).toBe('\\-x');
  });

  it('round-trips 3000 random normalized trees exactly through parseSearch', () => {
    for (let seed = 1; seed <= 3000; seed += 1) {
      const tree = generator(seed)(4);
      const text = formatSearch(tree);
      const back = parseSearch(text);
      if (!back.ok || JSON.stringify(back.filter) !== JSON.stringify(tree)) {
        throw new Error(
          `seed ${seed}: ${JSON.stringify(tree)}\ntext: ${text}\nback: ${JSON.stringify(back)}`,
        );
      }
    }
  });
});
