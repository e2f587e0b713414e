/**
 * Values that try to escape into SQL, LIKE patterns, FTS5 query syntax or JSON paths. Every
 * query test that takes user text runs these through it.
 */
export const ADVERSARIAL_VALUES: readonly string[] = [
  "' OR 1=1--",
  "\\'",
  '%',
  '_',
  '100%',
  '`',
  '";DROP TABLE events',
  'a\0b',
  '\u02bc',
  '\u02bc OR \u02bc1\u02bc=\u02bc1',
  'x'.repeat(10_240),
  '"',
  '*',
  '?',
  'NEAR(',
  ') OR (1',
  '$."a"',
];
