import type { FieldFilter, Filter } from '../domain/query.ts';
import { formatTimeValue, looksLikeCidr } from './fields.ts';

const OP_PREFIX: Readonly<Record<'gt' | 'gte' | 'lt' | 'lte', string>> = {
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

/** A double-quoted string; inside quotes only `"` and `\` need a backslash. */
function quote(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** Escapes the characters that would end or re-interpret an unquoted word. */
function escapeUnquoted(text: string): string {
  return text.replace(/[\s()"]/g, (c) => `\\${c}`).replace(/^[<>=]/, (c) => `\\${c}`);
}

/** A bare free-text word: also keep it from reading as a field, a negation or a keyword. */
function formatWord(text: string): string {
  const backslashed = text.replace(/\\/g, '\\\\');
  const colon = backslashed.indexOf(':');
  // Only a colon after a name with a letter would make the word a field predicate.
  const guarded =
    colon > 0 && /[A-Za-z]/.test(backslashed.slice(0, colon))
      ? `${backslashed.slice(0, colon)}\\${backslashed.slice(colon)}`
      : backslashed;
  const escaped = escapeUnquoted(guarded).replace(/^-/, '\\-');
  return text === 'OR' || text === 'AND' || text === 'NOT' ? `\\${escaped}` : escaped;
}

/** Whether an `eq` value reads back as the same `eq` without quotes. */
function isPlainValue(value: string): boolean {
  return /^(?![<>=])[^\s()"\\*?]+$/.test(value) && !value.includes('/') && !value.includes('..');
}

function formatField(filter: FieldFilter): string {
  const name = `${filter.field}:`;
  const value = filter.value ?? '';
  switch (filter.op) {
    case 'exists':
      return `${name}*`;
    case 'eq':
      return name + (isPlainValue(value) ? value : quote(value));
    case 'glob':
      // The pattern already escapes its literal `*`, `?` and `\`; only word boundaries remain.
      return name + escapeUnquoted(value);
    case 'cidr':
      return name + (looksLikeCidr(value) ? value : escapeUnquoted(value));
    default:
      return name + OP_PREFIX[filter.op] + (isPlainValue(value) ? value : quote(value));
  }
}

function formatNode(filter: Filter): string {
  switch (filter.kind) {
    case 'and':
      return filter.children
        .map((child) => (child.kind === 'or' ? `(${formatNode(child)})` : formatNode(child)))
        .join(' ');
    case 'or':
      // AND binds tighter than OR, so AND children need no parentheses here.
      return filter.children.map(formatNode).join(' OR ');
    case 'not':
      return filter.child.kind === 'and' || filter.child.kind === 'or'
        ? `-(${formatNode(filter.child)})`
        : `-${formatNode(filter.child)}`;
    case 'field':
      return formatField(filter);
    case 'text':
      return filter.phrase ? quote(filter.text) : formatWord(filter.text);
    case 'time': {
      if (filter.from === undefined && filter.to === undefined) return '';
      const from = filter.from === undefined ? '' : formatTimeValue(filter.from);
      const to = filter.to === undefined ? '' : formatTimeValue(filter.to);
      return `time:${from}..${to}`;
    }
  }
}

/**
 * Renders a filter tree as search-box text. For trees in the parser's normal form (see
 * `combineFilters`), `parseSearch(formatSearch(f))` gives back `f` exactly.
 */
export function formatSearch(filter: Filter | undefined): string {
  return filter === undefined ? '' : formatNode(filter);
}
