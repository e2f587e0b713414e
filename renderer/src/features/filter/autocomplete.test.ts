import { describe, expect, it } from 'vitest';
import { applySuggestion, fieldSuggestions, tokenAt, valueSuggestions } from './autocomplete.ts';

describe('search autocomplete', () => {
  it('finds the word at the caret, with its field and value', () => {
    expect(tokenAt('outcome:failure act', 19)).toEqual({ start: 16, end: 19, value: 'act', negated: false });
    expect(tokenAt('(user:al) x', 8)).toEqual({
      start: 1,
      end: 8,
      field: 'actor',
      value: 'al',
      negated: false,
    });
    expect(tokenAt('-ip:10.', 7)).toMatchObject({ field: 'ip', value: '10.', negated: true });
    expect(tokenAt('userIdentity.arn:"arn', 21)).toMatchObject({ field: 'userIdentity.arn', value: 'arn' });
  });

  it('suggests field names by prefix, facets first', () => {
    const names = fieldSuggestions('act').map((s) => s.insert);
    expect(names.slice(0, 2)).toEqual(['action:', 'actor:']);
    expect(names).toContain('actor.email:');
    expect(fieldSuggestions('zzz')).toEqual([]);
  });

  it('suggests values with counts, quoted when needed', () => {
    const values = [
      { value: 'alice', count: 1200 },
      { value: 'Bob Smith', count: 3 },
    ];
    expect(valueSuggestions('actor', 'b', values)).toEqual([
      { insert: 'actor:"Bob Smith"', label: 'Bob Smith', detail: '3' },
    ]);
    expect(valueSuggestions('actor', '', values)[0]).toEqual({
      insert: 'actor:alice',
      label: 'alice',
      detail: '1,200',
    });
  });

  it('replaces the word and places the caret after it', () => {
    const token = tokenAt('outcome:failure -us', 19);
    expect(applySuggestion('outcome:failure -us', token, { insert: 'userAgent:', label: '' })).toEqual({
      text: 'outcome:failure -userAgent:',
      caret: 27,
    });
    const value = tokenAt('ip:10 x', 5);
    expect(applySuggestion('ip:10 x', value, { insert: 'ip:10.0.0.1', label: '' })).toEqual({
      text: 'ip:10.0.0.1  x',
      caret: 12,
    });
  });
});
