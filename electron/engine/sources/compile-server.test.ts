import { describe, expect, it } from 'vitest';
import type { Filter } from '../../../shared/domain/query.ts';
import { ADVERSARIAL_VALUES } from '../../../test/support/adversarial-values.ts';
import { filterShape } from '../../../test/support/filter-shapes.ts';
import { ACTIVITY_MAPPING } from '../../../test/support/push-down.ts';
import { compileServerSearch, globToLike, PushDownError, type Dialect } from './compile-server.ts';
import { quoteMysqlIdentifier } from './mysql-reader.ts';
import { quoteIdentifier } from './table-reader.ts';

const COLUMNS = [
  { name: 'id', type: 'bigint' },
  { name: 'user_id', type: 'text' },
  { name: 'activity_type', type: 'text' },
  { name: 'ip_address', type: 'inet' },
  { name: 'details', type: 'jsonb' },
  { name: 'created_at', type: 'timestamp with time zone' },
];
const MAPPING = ACTIVITY_MAPPING;

function compile(dialect: Dialect, filter: Filter, range: { from?: number; to?: number } = {}) {
  const params: unknown[] = [];
  const columns =
    dialect === 'mysql' ? COLUMNS.map((c) => (c.type === 'jsonb' ? { ...c, type: 'json' } : c)) : COLUMNS;
  const where = compileServerSearch({ filter, ...range, mapping: MAPPING }, 'created_at', {
    dialect,
    columns,
    quote: dialect === 'mysql' ? quoteMysqlIdentifier : quoteIdentifier,
    bind: (value) => (dialect === 'mysql' ? (params.push(value), '?') : `$${params.push(value)}`),
  }).join(' AND ');
  return { where, params };
}

/** A random tree shape over the table's mapped fields and columns (see filterShape). */
const shape = (seed: number) =>
  filterShape(
    seed,
    ['actor', 'action', 'target', 'user_id', 'details.note', 'details.a.b', 'activity_type'],
    ['eq', 'glob', 'exists', 'text', 'phrase'],
  );

describe('compileServerSearch', () => {
  it('writes the same SQL text for a search whatever its values, in both dialects (values only bound)', () => {
    for (const dialect of ['postgres', 'mysql'] as const) {
      for (let seed = 1; seed <= 300; seed++) {
        const fill = shape(seed);
        const baseline = compile(
          dialect,
          fill(() => 'plain'),
          { from: 1, to: 2 },
        );
        for (const adversarial of ADVERSARIAL_VALUES) {
          const compiled = compile(
            dialect,
            fill(() => adversarial),
            { from: 1_700_000_000_000_000, to: 1_800_000_000_000_000 },
          );
          expect(compiled.where).toBe(baseline.where);
          expect(compiled.params.length).toBe(baseline.params.length);
        }
        const placeholders =
          dialect === 'mysql'
            ? baseline.where.split('?').length - 1
            : (baseline.where.match(/\$\d+/g) ?? []).length;
        expect(placeholders).toBe(baseline.params.length);
        for (const marker of ['plain', 'DROP', '1=1', '\0', '\u02bc', 'xxxxxxxx'])
          expect(baseline.where.includes(marker)).toBe(false);
      }
    }
  });

  it('quotes identifiers from the allowlist only, and refuses what the server cannot decide as a case would', () => {
    expect(compile('postgres', { kind: 'field', field: 'actor', op: 'eq', value: 'a' }).where).toBe(
      'LOWER(CAST("user_id" AS text)) = LOWER($1)',
    );
    expect(compile('mysql', { kind: 'field', field: 'target', op: 'eq', value: 'a' }).where).toBe(
      "LOWER((CASE WHEN JSON_TYPE(JSON_EXTRACT(`details`, ?)) = 'NULL' THEN NULL ELSE JSON_UNQUOTE(JSON_EXTRACT(`details`, ?)) END)) = LOWER(?)",
    );
    expect(compile('postgres', { kind: 'field', field: 'ip', op: 'cidr', value: '10.0.0.0/8' }).where).toBe(
      '"ip_address" <<= CAST($1 AS inet)',
    );
    const refused: [Filter, RegExp][] = [
      [
        { kind: 'field', field: 'outcome', op: 'eq', value: 'failure' },
        /worked out when events are imported/,
      ],
      [{ kind: 'field', field: 'no_such_column', op: 'eq', value: 'x' }, /no column "no_such_column"/],
      [{ kind: 'field', field: 'user_id.x', op: 'eq', value: 'x' }, /not a JSON column/],
      [{ kind: 'field', field: 'user_id', op: 'gt', value: '3' }, /numeric or time column/],
      [{ kind: 'field', field: 'id', op: 'gt', value: '3 OR 1=1' }, /is not a number/],
      [{ kind: 'field', field: 'a"b', op: 'eq', value: 'x' }, /not a valid field name/],
    ];
    for (const [filter, reason] of refused) {
      expect(() => compile('postgres', filter)).toThrow(PushDownError);
      expect(() => compile('postgres', filter)).toThrow(reason);
    }
    expect(() => compile('mysql', { kind: 'field', field: 'ip', op: 'cidr', value: '10.0.0.0/8' })).toThrow(
      /only in PostgreSQL inet columns/,
    );
  });

  it('turns globs into LIKE patterns with an explicit escape', () => {
    expect(globToLike('adm*')).toBe('adm%');
    expect(globToLike('a?c')).toBe('a_c');
    expect(globToLike('100%_!')).toBe('100!%!_!!');
    expect(globToLike('\\*lit\\?')).toBe('*lit?');
  });

  it('binds time bounds as instants each server reads in UTC', () => {
    const micros = Date.UTC(2024, 4, 1, 12, 0, 0) * 1000 + 123_456;
    expect(compile('postgres', { kind: 'and', children: [] }, { from: micros }).params).toEqual([
      '2024-05-01T12:00:00.123456Z',
    ]);
    expect(compile('mysql', { kind: 'and', children: [] }, { to: micros }).params).toEqual([
      '2024-05-01 12:00:00.123456',
    ]);
  });
});
