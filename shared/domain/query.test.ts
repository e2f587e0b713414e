import { describe, expect, it } from 'vitest';
import { EventQuery, Filter, MAX_FILTER_DEPTH, measureFilter } from './query.ts';

describe('Filter schema', () => {
  it('accepts every node kind', () => {
    const filter = {
      kind: 'and',
      children: [
        {
          kind: 'or',
          children: [
            { kind: 'field', field: 'actor', op: 'eq', value: 'a' },
            { kind: 'field', field: 'ip', op: 'exists' },
          ],
        },
        { kind: 'not', child: { kind: 'text', text: 'x', phrase: false } },
        { kind: 'time', from: 1, to: 2 },
      ],
    };
    expect(Filter.parse(filter)).toEqual(filter);
    expect(EventQuery.parse({ filter, from: 0, to: 10, order: 'desc' })).toEqual({
      filter,
      from: 0,
      to: 10,
      order: 'desc',
    });
  });

  it.each([
    { kind: 'field', field: 'actor', op: 'like', value: 'a' },
    { kind: 'field', field: '', op: 'eq', value: 'a' },
    { kind: 'text', text: '', phrase: false },
    { kind: 'time', from: 1.5 },
    { kind: 'not' },
    { kind: 'sql', text: '1=1' },
  ])('rejects %j', (value) => {
    expect(Filter.safeParse(value).success).toBe(false);
  });

  it('refuses hostile nesting without overflowing the stack', () => {
    let deep: unknown = { kind: 'text', text: 'x', phrase: false };
    for (let i = 0; i < 100_000; i += 1) deep = { kind: 'not', child: deep };
    expect(measureFilter(deep).depth).toBe(MAX_FILTER_DEPTH + 1);
    const result = Filter.safeParse(deep);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      `filter is nested deeper than ${MAX_FILTER_DEPTH} levels or too large`,
    );
  });
});
