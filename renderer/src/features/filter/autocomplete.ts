import { FIELDS, resolveField } from '../../../../shared/query/fields.ts';
import { formatSearch } from '../../../../shared/query/format-search.ts';

/** The word the caret is in: `act` (a field name being typed) or `actor:ali` (a value). */
export interface CaretToken {
  start: number;
  end: number;
  /** Set when the word has a `field:` part: the canonical field (or the raw path) and the typed value. */
  field?: string;
  value: string;
  negated: boolean;
}

export interface Suggestion {
  /** What the word becomes. */
  insert: string;
  label: string;
  detail?: string;
}

const WORD_BREAK = /[\s()]/;

export function tokenAt(text: string, caret: number): CaretToken {
  let start = caret;
  while (start > 0 && !WORD_BREAK.test(text[start - 1] as string)) start--;
  let end = caret;
  while (end < text.length && !WORD_BREAK.test(text[end] as string)) end++;
  let word = text.slice(start, end);
  const negated = word.startsWith('-');
  if (negated) word = word.slice(1);
  const colon = word.indexOf(':');
  if (colon <= 0) return { start, end, value: word, negated };
  const name = word.slice(0, colon);
  const value = word
    .slice(colon + 1)
    .replace(/^"/, '')
    .replace(/"$/, '');
  return { start, end, field: resolveField(name)?.name ?? name, value, negated };
}

/** Field names that start with what was typed (case-insensitive), the facets first. */
export function fieldSuggestions(typed: string): Suggestion[] {
  const lower = typed.toLowerCase();
  return FIELDS.filter((f) => f.name.toLowerCase().startsWith(lower) && f.name !== 'time')
    .sort((a, b) => Number(b.facet) - Number(a.facet))
    .slice(0, 12)
    .map((f) => ({ insert: `${f.name}:`, label: `${f.name}:`, detail: f.label }));
}

/** Values of a field (from the engine, with counts) that contain what was typed. */
export function valueSuggestions(
  field: string,
  typed: string,
  values: readonly { value: string; count: number }[],
): Suggestion[] {
  const lower = typed.toLowerCase();
  return values
    .filter((v) => v.value.toLowerCase().includes(lower))
    .map((v) => ({
      insert: formatSearch({ kind: 'field', field, op: 'eq', value: v.value }),
      label: v.value,
      detail: v.count.toLocaleString('en-US'),
    }));
}

/** The text with the caret's word replaced, and where the caret goes after it. */
export function applySuggestion(
  text: string,
  token: CaretToken,
  suggestion: Suggestion,
): { text: string; caret: number } {
  const prefix = token.negated ? '-' : '';
  const completesValue = !suggestion.insert.endsWith(':');
  const inserted = prefix + suggestion.insert + (completesValue ? ' ' : '');
  const next = text.slice(0, token.start) + inserted + text.slice(token.end);
  return { text: next, caret: token.start + inserted.length };
}
