import { combineFilters } from '../domain/query.ts';
import type { FieldOp, Filter } from '../domain/query.ts';
import { looksLikeCidr, parseRawPath, parseTimeValue, resolveField } from './fields.ts';

/** Where and why the search text is wrong; `offset`/`length` are in UTF-16 units of the input. */
export interface SearchSyntaxError {
  message: string;
  offset: number;
  length: number;
}
export type ParseSearchResult =
  { ok: true; filter: Filter | undefined } | { ok: false; error: SearchSyntaxError };

/** Parentheses and negations deeper than this are refused (keeps the tree within MAX_FILTER_DEPTH). */
export const MAX_SEARCH_NESTING = 20;

class SyntaxFailure extends Error {
  readonly offset: number;
  readonly length: number;
  constructor(message: string, offset: number, length: number) {
    super(message);
    this.offset = offset;
    this.length = Math.max(1, length);
  }
}

type Token =
  | { t: 'lparen' | 'rparen' | 'or' | 'and' | 'not' | 'neg'; at: number; len: number }
  | { t: 'term'; filter: Filter; at: number; len: number };

const COMPARISONS: ReadonlyMap<string, FieldOp> = new Map([
  ['>', 'gt'],
  ['>=', 'gte'],
  ['<', 'lt'],
  ['<=', 'lte'],
]);

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
/** Characters that end an unquoted word. */
const isBoundary = (c: string | undefined): boolean =>
  c === undefined || isSpace(c) || c === '(' || c === ')' || c === '"';

interface QuotedRun {
  value: string;
  end: number;
}
interface UnquotedRun {
  literal: string;
  pattern: string;
  wildcard: boolean;
  escaped: boolean;
  end: number;
}

function readQuoted(s: string, start: number): QuotedRun {
  let value = '';
  let j = start + 1;
  while (j < s.length) {
    const c = s[j] as string;
    if (c === '\\' && j + 1 < s.length) {
      value += s[j + 1];
      j += 2;
    } else if (c === '"') {
      return { value, end: j + 1 };
    } else {
      value += c;
      j += 1;
    }
  }
  throw new SyntaxFailure(
    `unclosed quote: the \`"\` at offset ${start} is never closed`,
    start,
    s.length - start,
  );
}

/** Reads an unquoted run; `pattern` keeps wildcards live and escapes literal `*`, `?`, `\` for globs. */
function readUnquoted(s: string, start: number): UnquotedRun {
  const run: UnquotedRun = { literal: '', pattern: '', wildcard: false, escaped: false, end: start };
  let j = start;
  while (j < s.length && !isBoundary(s[j])) {
    const c = s[j] as string;
    if (c === '\\' && j + 1 < s.length) {
      const next = s[j + 1] as string;
      run.literal += next;
      run.pattern += next === '*' || next === '?' || next === '\\' ? `\\${next}` : next;
      run.escaped = true;
      j += 2;
      continue;
    }
    if (c === '*' || c === '?') run.wildcard = true;
    run.literal += c;
    run.pattern += c === '\\' ? '\\\\' : c;
    j += 1;
  }
  run.end = j;
  return run;
}

function lex(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (isSpace(c)) {
      i += 1;
    } else if (c === '(' || c === ')') {
      tokens.push({ t: c === '(' ? 'lparen' : 'rparen', at: i, len: 1 });
      i += 1;
    } else if (c === '-') {
      if (isSpace(s[i + 1]) || s[i + 1] === undefined || s[i + 1] === ')') {
        throw new SyntaxFailure(
          '`-` must be directly followed by a term or a group (write \\- to search for a dash)',
          i,
          1,
        );
      }
      tokens.push({ t: 'neg', at: i, len: 1 });
      i += 1;
    } else if (c === '"') {
      const run = readQuoted(s, i);
      if (run.value === '') throw new SyntaxFailure('empty quotes: put a phrase between them', i, 2);
      tokens.push({
        t: 'term',
        filter: { kind: 'text', text: run.value, phrase: true },
        at: i,
        len: run.end - i,
      });
      i = run.end;
    } else {
      const token = lexWord(s, i);
      tokens.push(token);
      i = token.at + token.len;
    }
  }
  return tokens;
}

function lexWord(s: string, start: number): Token {
  let j = start;
  let escaped = false;
  while (j < s.length && !isBoundary(s[j]) && s[j] !== ':') {
    if (s[j] === '\\' && j + 1 < s.length) {
      escaped = true;
      j += 2;
    } else {
      j += 1;
    }
  }
  const name = s.slice(start, j);
  if (s[j] === ':' && !escaped && /[A-Za-z]/.test(name)) return lexField(s, start, name, j + 1);
  const run = readUnquoted(s, start);
  const len = run.end - start;
  if (!run.escaped && (run.literal === 'OR' || run.literal === 'AND' || run.literal === 'NOT')) {
    return { t: run.literal === 'OR' ? 'or' : run.literal === 'AND' ? 'and' : 'not', at: start, len };
  }
  return { t: 'term', filter: { kind: 'text', text: run.literal, phrase: false }, at: start, len };
}

function lexField(s: string, start: number, rawName: string, valueStart: number): Token {
  const def = resolveField(rawName);
  if (def === undefined) {
    const path = parseRawPath(rawName);
    if (!path.ok) throw new SyntaxFailure(path.message, start, rawName.length);
  }
  const field = def?.name ?? rawName;
  let k = valueStart;
  while (s[k] === '<' || s[k] === '>' || s[k] === '=') k += 1;
  const opText = s.slice(valueStart, k);
  const comparison = opText === '' ? undefined : COMPARISONS.get(opText);
  if (opText !== '' && comparison === undefined) {
    throw new SyntaxFailure(
      `unknown comparison \`${opText}\` after \`${rawName}:\` (use >, >=, < or <=)`,
      valueStart,
      opText.length,
    );
  }
  if (isBoundary(s[k]) && s[k] !== '"') {
    const what = opText === '' ? `\`${rawName}:\`` : `\`${rawName}:${opText}\``;
    throw new SyntaxFailure(`empty value after ${what}`, start, k - start);
  }
  const quoted = s[k] === '"' ? readQuoted(s, k) : undefined;
  const run = quoted === undefined ? readUnquoted(s, k) : undefined;
  const end = quoted?.end ?? run?.end ?? k;
  const literal = quoted?.value ?? run?.literal ?? '';
  const token = (filter: Filter): Token => ({ t: 'term', filter, at: start, len: end - start });
  const fail = (message: string): never => {
    throw new SyntaxFailure(message, k, end - k);
  };
  const isTime = def?.kind === 'time';

  if (comparison !== undefined) {
    if (isTime && parseTimeValue(literal) === undefined)
      fail(`\`${literal}\` is not a time (use ISO 8601 or epoch)`);
    if (!isTime && (literal.trim() === '' || !Number.isFinite(Number(literal))))
      fail(`\`${literal}\` is not a number`);
    return token({ kind: 'field', field, op: comparison, value: literal });
  }
  if (run === undefined) {
    if (isTime && parseTimeValue(literal) === undefined)
      fail(`\`${literal}\` is not a time (use ISO 8601 or epoch)`);
    return token({ kind: 'field', field, op: 'eq', value: literal });
  }
  if (run.pattern === '*') return token({ kind: 'field', field, op: 'exists' });
  if (isTime) {
    const range = literal.indexOf('..');
    if (range < 0) {
      if (parseTimeValue(literal) === undefined)
        fail(`\`${literal}\` is not a time (use ISO 8601, epoch or FROM..TO)`);
      return token({ kind: 'field', field, op: 'eq', value: literal });
    }
    return token(timeRange(literal.slice(0, range), literal.slice(range + 2), fail));
  }
  if (run.wildcard) return token({ kind: 'field', field, op: 'glob', value: run.pattern });
  if (literal.includes('/') && (field === 'ip' || looksLikeCidr(literal))) {
    if (!looksLikeCidr(literal))
      fail(`\`${literal}\` is not a valid CIDR range (like 10.0.0.0/8 or 2001:db8::/32)`);
    return token({ kind: 'field', field, op: 'cidr', value: literal });
  }
  return token({ kind: 'field', field, op: 'eq', value: literal });
}

function timeRange(fromText: string, toText: string, fail: (message: string) => never): Filter {
  if (fromText === '' && toText === '') fail('a time range needs at least one end: FROM..TO, FROM.. or ..TO');
  const bound = (text: string): number | undefined => {
    if (text === '') return undefined;
    return parseTimeValue(text) ?? fail(`\`${text}\` is not a time (use ISO 8601 or epoch)`);
  };
  const from = bound(fromText);
  const to = bound(toText);
  return { kind: 'time', ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];
  private readonly text: string;
  constructor(tokens: Token[], text: string) {
    this.tokens = tokens;
    this.text = text;
  }

  parse(): Filter | undefined {
    if (this.tokens.length === 0) return undefined;
    const filter = this.parseOr(0);
    const rest = this.tokens[this.pos];
    if (rest !== undefined)
      throw new SyntaxFailure(
        `unbalanced parenthesis: \`)\` at offset ${rest.at} has no matching \`(\``,
        rest.at,
        1,
      );
    return filter;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  /** A binary keyword or negation must be followed by something it can apply to. */
  private expectOperand(keyword: Token, name: string): void {
    const next = this.peek();
    if (next === undefined || next.t === 'rparen' || next.t === 'or' || next.t === 'and') {
      const message = name === 'OR' ? 'dangling OR: put a term after it' : `nothing after \`${name}\``;
      throw new SyntaxFailure(message, keyword.at, keyword.len);
    }
  }

  private parseOr(depth: number): Filter {
    const children = [this.parseAnd(depth)];
    for (let next = this.peek(); next?.t === 'or'; next = this.peek()) {
      this.pos += 1;
      this.expectOperand(next, 'OR');
      children.push(this.parseAnd(depth));
    }
    return combineFilters('or', children);
  }

  private parseAnd(depth: number): Filter {
    const children = [this.parseUnary(depth)];
    for (
      let next = this.peek();
      next !== undefined && next.t !== 'rparen' && next.t !== 'or';
      next = this.peek()
    ) {
      if (next.t === 'and') {
        this.pos += 1;
        this.expectOperand(next, 'AND');
      }
      children.push(this.parseUnary(depth));
    }
    return combineFilters('and', children);
  }

  private parseUnary(depth: number): Filter {
    const token = this.peek();
    if (token === undefined) throw new SyntaxFailure('unexpected end of search', this.text.length, 1);
    if (depth > MAX_SEARCH_NESTING)
      throw new SyntaxFailure('search is nested too deeply', token.at, token.len);
    this.pos += 1;
    switch (token.t) {
      case 'term':
        return token.filter;
      case 'not':
      case 'neg':
        this.expectOperand(token, token.t === 'neg' ? '-' : 'NOT');
        return { kind: 'not', child: this.parseUnary(depth + 1) };
      case 'lparen': {
        if (this.peek()?.t === 'rparen') throw new SyntaxFailure('empty parentheses', token.at, 2);
        const inner = this.parseOr(depth + 1);
        if (this.peek()?.t !== 'rparen') {
          throw new SyntaxFailure(
            `unbalanced parenthesis: \`(\` at offset ${token.at} is never closed`,
            token.at,
            1,
          );
        }
        this.pos += 1;
        return inner;
      }
      case 'rparen':
        throw new SyntaxFailure(
          `unbalanced parenthesis: \`)\` at offset ${token.at} has no matching \`(\``,
          token.at,
          1,
        );
      case 'or':
      case 'and':
        throw new SyntaxFailure(`\`${token.t.toUpperCase()}\` needs a term before it`, token.at, token.len);
    }
  }
}

/**
 * Parses the search-box syntax (`actor:alice action:iam.* -outcome:success ip:10.0.0.0/8 "a phrase"`)
 * into a filter tree. Empty or blank text gives `filter: undefined` (match everything).
 */
export function parseSearch(text: string): ParseSearchResult {
  try {
    return { ok: true, filter: new Parser(lex(text), text).parse() };
  } catch (error) {
    if (error instanceof SyntaxFailure) {
      return { ok: false, error: { message: error.message, offset: error.offset, length: error.length } };
    }
    throw error;
  }
}
