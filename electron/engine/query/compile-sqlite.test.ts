import { describe, expect, it } from 'vitest';
import { filterShape } from '../../../test/support/filter-shapes.ts';
import type { FieldOp, Filter } from '../../../shared/domain/query.ts';
import { compileSqlite, globToLike, QueryCompileError, toFtsQuery, toJsonPath } from './compile-sqlite.ts';
import { ADVERSARIAL_VALUES } from '../../../test/support/adversarial-values.ts';

const fts = { ftsReady: true };
const field = (name: string, op: FieldOp, value?: string): Filter => ({
  kind: 'field',
  field: name,
  op,
  ...(value === undefined ? {} : { value }),
});

describe('compileSqlite', () => {
  it('gives `1` for an empty query and binds the time window', () => {
    expect(compileSqlite({}, fts)).toEqual({ where: '1', params: [] });
    expect(compileSqlite({ from: 10, to: 20 }, fts)).toEqual({
      where: 'time >= ? AND time < ?',
      params: [10, 20],
    });
    expect(compileSqlite({ filter: { kind: 'time', from: 5 }, to: 9 }, fts)).toEqual({
      where: '(time >= ?) AND (time < ?)',
      params: [5, 9],
    });
  });

  it('compiles catalogue fields to their columns with NOCASE equality', () => {
    expect(compileSqlite({ filter: field('action', 'eq', 'Login') }, fts)).toEqual({
      where: 'action = ? COLLATE NOCASE',
      params: ['Login'],
    });
    expect(compileSqlite({ filter: field('user', 'eq', 'bob') }, fts)).toEqual({
      // Several indexed columns: a LIKE on the value reaches the indexes (the planner keeps it
      // there); only a value too long for a LIKE pattern is also compared in full.
      where:
        "((actor_id LIKE ? ESCAPE '\\' OR actor_name LIKE ? ESCAPE '\\' OR actor_email LIKE ? ESCAPE '\\') AND " +
        '(length(?) <= 1000 OR actor_id = ? COLLATE NOCASE OR actor_name = ? COLLATE NOCASE OR actor_email = ? COLLATE NOCASE))',
      params: ['bob', 'bob', 'bob', 'bob', 'bob', 'bob', 'bob'],
    });
    // LIKE metacharacters in the value are literal; a value too long for a LIKE pattern (SQLite
    // refuses past 50,000 bytes) is reached through its first 1,000 characters.
    expect(compileSqlite({ filter: field('actor', 'eq', 'a_b%') }, fts).params.slice(0, 3)).toEqual([
      'a\\_b\\%',
      'a\\_b\\%',
      'a\\_b\\%',
    ]);
    const huge = '_'.repeat(30_000);
    const long = compileSqlite({ filter: field('actor', 'eq', huge) }, fts);
    expect(long.params[0]).toBe(`${'\\_'.repeat(1000)}%`);
    expect(long.params.slice(3)).toEqual([huge, huge, huge, huge]);
    expect(compileSqlite({ filter: field('target', 'glob', 'a*') }, fts)).toEqual({
      where: "(target_id LIKE ? ESCAPE '\\' OR target_name LIKE ? ESCAPE '\\')",
      params: ['a%', 'a%'],
    });
    expect(compileSqlite({ filter: field('ip', 'cidr', '10.0.0.0/8') }, fts)).toEqual({
      where: 'ip_in_cidr(ip, ?) = 1',
      params: ['10.0.0.0/8'],
    });
    expect(compileSqlite({ filter: field('sessionId', 'exists') }, fts)).toEqual({
      where: "(session_id IS NOT NULL AND session_id <> '')",
      params: [],
    });
    expect(compileSqlite({ filter: field('severity', 'gte', '3') }, fts)).toEqual({
      where: "(severity GLOB '[0-9+.-]*' AND CAST(severity AS REAL) >= ?)",
      params: [3],
    });
    expect(compileSqlite({ filter: field('time', 'lt', '2024-01-01') }, fts)).toEqual({
      where: 'time < ?',
      params: [1704067200000000],
    });
    expect(compileSqlite({ filter: field('time', 'gte', '1700000000123') }, fts)).toEqual({
      where: 'time >= ?',
      params: [1700000000123000],
    });
  });

  it('compiles negation NULL-safely and groups with parentheses', () => {
    expect(
      compileSqlite(
        {
          filter: {
            kind: 'or',
            children: [
              field('outcome', 'eq', 'failure'),
              { kind: 'not', child: field('actor.name', 'eq', 'x') },
            ],
          },
        },
        fts,
      ),
    ).toEqual({
      where: '(outcome = ? COLLATE NOCASE OR NOT coalesce((actor_name = ? COLLATE NOCASE), 0))',
      params: ['failure', 'x'],
    });
    expect(compileSqlite({ filter: { kind: 'and', children: [] } }, fts).where).toBe('1');
    expect(compileSqlite({ filter: { kind: 'or', children: [] } }, fts).where).toBe('0');
  });

  it('queries raw paths through a bound JSONPath', () => {
    const compiled = compileSqlite({ filter: field('userIdentity.arn', 'eq', 'x') }, fts);
    expect(compiled.params).toEqual(['$."userIdentity"."arn"', 'x']);
    expect(compiled.where).toContain('json_each(');
    expect(toJsonPath('a.@b.c-d')).toBe('$."a"."@b"."c-d"');
  });

  it('compiles free text to a quoted FTS5 query, or to LIKE without the index', () => {
    expect(compileSqlite({ filter: { kind: 'text', text: 'alice', phrase: false } }, fts)).toEqual({
      where: 'rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)',
      params: ['"alice"'],
    });
    expect(
      compileSqlite({ filter: { kind: 'text', text: '100%_x*', phrase: false } }, { ftsReady: false }),
    ).toEqual({
      where: "(? <> '' AND (raw LIKE ? ESCAPE '\\' OR coalesce(document, '') LIKE ? ESCAPE '\\'))",
      params: ['100%_x', '%100\\%\\_x%', '%100\\%\\_x%'],
    });
  });

  it('refuses trees it cannot compile, with a typed error', () => {
    const bad: Filter[] = [
      field('__proto__.x', 'eq', '1'),
      field('a..b', 'eq', '1'),
      field('severity', 'gt', 'high'),
      field('time', 'gt', 'yesterday'),
      field('time', 'glob', '2024*'),
      field('actor', 'eq'),
    ];
    for (const filter of bad) expect(() => compileSqlite({ filter }, fts)).toThrow(QueryCompileError);
    let deep: Filter = field('a', 'exists');
    for (let i = 0; i < 200; i += 1) deep = { kind: 'not', child: deep };
    expect(() => compileSqlite({ filter: deep }, fts)).toThrow('filter is nested too deeply or too large');
  });
});

describe('globToLike / toFtsQuery', () => {
  it('escapes LIKE metacharacters and keeps escaped wildcards literal', () => {
    expect(globToLike('100%*')).toBe('100\\%%');
    expect(globToLike('a_b?c\\*d\\\\')).toBe('a\\_b_c*d\\\\');
  });

  it('quotes every token so no FTS5 operator survives', () => {
    expect(toFtsQuery('alice', false)).toBe('"alice"');
    expect(toFtsQuery('ali*', false)).toBe('"ali"*');
    expect(toFtsQuery('NEAR(a b) OR body:x', false)).toBe('"NEAR(a" "b)" "OR" "body:x"');
    expect(toFtsQuery('say "hi"', true)).toBe('"say ""hi"""');
    expect(toFtsQuery('a\0b', true)).toBe('"a b"');
    expect(toFtsQuery('***', false)).toBe('""');
  });
});

const ADVERSARIAL = ADVERSARIAL_VALUES;

/** A random tree shape over normalized and raw fields (see filterShape). */
const shape = (seed: number) =>
  filterShape(
    seed,
    ['actor', 'action', 'ip', 'target', 'userIdentity.arn', 'a.b-c.@d', 'message'],
    ['eq', 'glob', 'cidr', 'exists', 'text', 'phrase'],
  );

describe('compileSqlite with adversarial values', () => {
  it('produces identical SQL for a shape whatever the values, and never puts values in the SQL', () => {
    for (let seed = 1; seed <= 400; seed += 1) {
      const fill = shape(seed);
      const ftsReady = seed % 2 === 0;
      const baseline = compileSqlite({ filter: fill(() => 'plain') }, { ftsReady });
      for (const adversarial of ADVERSARIAL) {
        const compiled = compileSqlite({ filter: fill(() => adversarial) }, { ftsReady });
        expect(compiled.where).toBe(baseline.where);
        expect(compiled.params.length).toBe(baseline.params.length);
        expect(compiled.where.split('?').length - 1).toBe(compiled.params.length);
      }
      for (const marker of ['plain', 'DROP', '1=1', 'NEAR', '\0', '\u02bc', 'xxxxxxxx', '`']) {
        expect(baseline.where.includes(marker)).toBe(false);
      }
    }
  });
});
