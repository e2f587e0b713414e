import { describe, expect, it } from 'vitest';
import { separateSearchTerms } from './search-args.ts';

const OPTIONS = {
  case: { type: 'string' },
  count: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

describe('separateSearchTerms', () => {
  it('keeps options and moves negated terms behind --', () => {
    expect(separateSearchTerms(['--case', 'c.db', '-source:okta', 'actor:bob', '--count'], OPTIONS)).toEqual([
      '--case',
      'c.db',
      '--count',
      '--',
      '-source:okta',
      'actor:bob',
    ]);
    expect(separateSearchTerms(['--case=c', '-h', '-x'], OPTIONS)).toEqual(['--case=c', '-h', '--', '-x']);
    expect(separateSearchTerms(['--bogus', 'a', '--', '--case'], OPTIONS)).toEqual([
      '--bogus',
      '--',
      'a',
      '--case',
    ]);
  });
});
