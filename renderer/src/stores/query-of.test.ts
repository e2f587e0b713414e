import { describe, expect, it } from 'vitest';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import { queryOf, type QueryInputs } from './query-of.ts';
import { MAX_SELECTED_EVENTS } from '../../../shared/domain/query.ts';

const NOW = 1_700_000_000_000_000;
const base: QueryInputs = {
  searchFilter: undefined,
  chips: [],
  preset: 'all',
  customFrom: undefined,
  customTo: undefined,
  order: 'desc',
};

describe('queryOf', () => {
  it('all time, no filter: just the order', () => {
    expect(queryOf(base, NOW)).toEqual({ order: 'desc' });
  });

  it('presets count back from the moment they were chosen; custom ranges pass through', () => {
    expect(queryOf({ ...base, preset: '24h' }, NOW)).toMatchObject({ from: NOW - 86_400_000_000 });
    expect(queryOf({ ...base, preset: '90d' }, NOW).from).toBe(NOW - 90 * 86_400_000_000);
    expect(queryOf({ ...base, preset: 'custom', customFrom: 5, customTo: 9 }, NOW)).toMatchObject({
      from: 5,
      to: 9,
    });
  });

  it('ANDs the search with every chip, negated chips as NOT', () => {
    const parsed = parseSearch('outcome:failure');
    const query = queryOf(
      {
        ...base,
        searchFilter: parsed.ok ? parsed.filter : undefined,
        chips: [
          { field: 'actor', value: 'alice', negated: false },
          { field: 'ip', value: '10.0.0.1', negated: true },
        ],
      },
      NOW,
    );
    expect(query.filter).toEqual({
      kind: 'and',
      children: [
        { kind: 'field', field: 'outcome', op: 'eq', value: 'failure' },
        { kind: 'field', field: 'actor', op: 'eq', value: 'alice' },
        { kind: 'not', child: { kind: 'field', field: 'ip', op: 'eq', value: '10.0.0.1' } },
      ],
    });
  });

  it('names pinned events one by one (a detection), capped, and nothing when none are pinned', () => {
    expect(queryOf({ ...base, pinnedSeqs: [5, 9] }, NOW).seqs).toEqual([5, 9]);
    expect(queryOf({ ...base, pinnedSeqs: [] }, NOW)).not.toHaveProperty('seqs');
    expect(queryOf(base, NOW)).not.toHaveProperty('seqs');
    const many = Array.from({ length: MAX_SELECTED_EVENTS + 5 }, (_, i) => i + 1);
    expect(queryOf({ ...base, pinnedSeqs: many }, NOW).seqs).toHaveLength(MAX_SELECTED_EVENTS);
  });
});
