// Random filter-tree shapes for property tests of query compilers: the shape (AND/OR/NOT nesting,
// fields, operators) comes from the seed, the values from `value()`, so one shape can be filled
// with plain and with hostile values and the compiled SQL compared.
import type { Filter } from '../../shared/domain/query.ts';
import { prng } from './prng.ts';

export type ShapeOp = 'eq' | 'glob' | 'cidr' | 'exists' | 'text' | 'phrase';

export function filterShape(
  seed: number,
  fields: readonly string[],
  ops: readonly ShapeOp[],
): (value: () => string) => Filter {
  const random = prng(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const build = (depth: number): ((value: () => string) => Filter) => {
    const r = random();
    if (depth > 0 && r < 0.35) {
      const kind = random() < 0.5 ? 'and' : 'or';
      const kids = Array.from({ length: 1 + int(3) }, () => build(depth - 1));
      return (value) => ({ kind, children: kids.map((k) => k(value)) });
    }
    if (depth > 0 && r < 0.45) {
      const kid = build(depth - 1);
      return (value) => ({ kind: 'not', child: kid(value) });
    }
    const name = fields[int(fields.length)] as string;
    const op = ops[int(ops.length)] as ShapeOp;
    if (op === 'text' || op === 'phrase')
      return (value) => ({ kind: 'text', text: value(), phrase: op === 'phrase' });
    if (op === 'exists') return () => ({ kind: 'field', field: name, op });
    return (value) => ({ kind: 'field', field: name, op, value: value() });
  };
  return build(4);
}
