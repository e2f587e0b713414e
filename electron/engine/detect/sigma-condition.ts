/** A Sigma condition as a tree over the detection's named selections. */
export type Condition =
  | { kind: 'and' | 'or'; children: Condition[] }
  | { kind: 'not'; child: Condition }
  | { kind: 'ref'; name: string };

export class SigmaError extends Error {}

const TOKEN = /\s*(\(|\)|[^\s()]+)/y;

/** `*` in a selection pattern matches any run of characters; the rest is literal. */
function patternToRegExp(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/**
 * Parses a condition (`selection and not 1 of filter_*`, `all of them`, parentheses) over the
 * detection's selection names. `not` binds tighter than `and`, `and` tighter than `or`.
 * Aggregations (`| count() …`, Sigma 1) are refused: correlation rules replace them.
 */
export function parseCondition(text: string, names: readonly string[]): Condition {
  if (text.includes('|'))
    throw new SigmaError(
      'aggregations in conditions (`| count()…`) are not supported: use a correlation rule',
    );
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let read = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    tokens.push(m[1] as string);
    read = TOKEN.lastIndex;
  }
  if (text.slice(read).trim() !== '') throw new SigmaError(`condition: cannot read "${text}"`);
  let at = 0;
  const peek = (): string | undefined => tokens[at]?.toLowerCase();
  const next = (): string => {
    const token = tokens[at++];
    if (token === undefined) throw new SigmaError(`condition ends too early: "${text}"`);
    return token;
  };
  const selection = (name: string): Condition => {
    if (!names.includes(name))
      throw new SigmaError(`condition names ${name}, which the detection does not define`);
    return { kind: 'ref', name };
  };
  const quantified = (all: boolean): Condition => {
    const target = next();
    const matching =
      target.toLowerCase() === 'them' ? [...names] : names.filter((n) => patternToRegExp(target).test(n));
    if (matching.length === 0) throw new SigmaError(`condition: no selection matches ${target}`);
    const children = matching.map((name): Condition => ({ kind: 'ref', name }));
    return children.length === 1 ? (children[0] as Condition) : { kind: all ? 'and' : 'or', children };
  };
  const primary = (): Condition => {
    const token = next();
    const lower = token.toLowerCase();
    if (token === '(') {
      const inner = or();
      if (next() !== ')') throw new SigmaError(`condition: unbalanced parenthesis in "${text}"`);
      return inner;
    }
    if (lower === 'not') return { kind: 'not', child: primary() };
    if ((lower === '1' || lower === 'any') && peek() === 'of') {
      next();
      return quantified(false);
    }
    if (lower === 'all' && peek() === 'of') {
      next();
      return quantified(true);
    }
    if (/^\d+$/.test(lower) && peek() === 'of')
      throw new SigmaError(`condition: "${token} of" is not Sigma (1 of, all of)`);
    if (['and', 'or', ')'].includes(lower))
      throw new SigmaError(`condition: unexpected ${token} in "${text}"`);
    return selection(token);
  };
  const and = (): Condition => {
    const children = [primary()];
    while (peek() === 'and') {
      next();
      children.push(primary());
    }
    return children.length === 1 ? (children[0] as Condition) : { kind: 'and', children };
  };
  const or = (): Condition => {
    const children = [and()];
    while (peek() === 'or') {
      next();
      children.push(and());
    }
    return children.length === 1 ? (children[0] as Condition) : { kind: 'or', children };
  };
  const tree = or();
  if (at < tokens.length) throw new SigmaError(`condition: unexpected ${tokens[at]} in "${text}"`);
  return tree;
}
