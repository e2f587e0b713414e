import { z } from 'zod';

/**
 * Field predicate operators.
 * - `eq`: case-insensitive equality.
 * - `glob`: `*` any run, `?` one character, `\` makes the next character literal.
 * - `cidr`: the value is an IPv4/IPv6 range (`10.0.0.0/8`).
 * - `gt`/`gte`/`lt`/`lte`: numeric, or epoch/ISO instants on `time`.
 * - `exists`: present and not empty (no value).
 */
export const FIELD_OPS = ['eq', 'glob', 'cidr', 'gt', 'gte', 'lt', 'lte', 'exists'] as const;
export const FieldOp = z.enum(FIELD_OPS);
export type FieldOp = z.infer<typeof FieldOp>;

export type AndFilter = { kind: 'and'; children: Filter[] };
export type OrFilter = { kind: 'or'; children: Filter[] };
export type NotFilter = { kind: 'not'; child: Filter };
/** `field` is a catalogue name (see shared/query/fields.ts) or a raw dotted path (`userIdentity.arn`). */
export type FieldFilter = { kind: 'field'; field: string; op: FieldOp; value?: string };
/** Free text: bare words (`phrase: false`, a trailing `*` is a prefix) or a quoted phrase. */
export type TextFilter = { kind: 'text'; text: string; phrase: boolean };
/** Epoch microseconds; `from` inclusive, `to` exclusive. */
export type TimeFilter = { kind: 'time'; from?: number; to?: number };

/** The typed filter tree every search compiles from. */
export type Filter = AndFilter | OrFilter | NotFilter | FieldFilter | TextFilter | TimeFilter;

/** Nesting and size limits: trees arrive over IPC and from saved searches, so they are bounded. */
export const MAX_FILTER_DEPTH = 64;
export const MAX_FILTER_NODES = 10_000;

const FieldFilterSchema = z.object({
  kind: z.literal('field'),
  field: z.string().min(1).max(512),
  op: FieldOp,
  value: z.string().optional(),
});
const TextFilterSchema = z.object({ kind: z.literal('text'), text: z.string().min(1), phrase: z.boolean() });
const TimeFilterSchema = z.object({
  kind: z.literal('time'),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
});

const FilterTree: z.ZodType<Filter> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('and'), children: z.array(FilterTree) }),
    z.object({ kind: z.literal('or'), children: z.array(FilterTree) }),
    z.object({ kind: z.literal('not'), child: FilterTree }),
    FieldFilterSchema,
    TextFilterSchema,
    TimeFilterSchema,
  ]),
);

/**
 * Depth and node count of an untrusted filter-shaped value, measured without recursion, so a
 * hostile 100 000-level tree is refused before the (recursive) schema walks it.
 */
export function measureFilter(value: unknown): { depth: number; nodes: number } {
  let depth = 0;
  let nodes = 0;
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 1 }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined || typeof item.node !== 'object' || item.node === null) continue;
    nodes += 1;
    depth = Math.max(depth, item.depth);
    if (nodes > MAX_FILTER_NODES || depth > MAX_FILTER_DEPTH) break;
    const node = item.node as { children?: unknown; child?: unknown };
    if (Array.isArray(node.children)) {
      for (const child of node.children as unknown[]) stack.push({ node: child, depth: item.depth + 1 });
    }
    if ('child' in node) stack.push({ node: node.child, depth: item.depth + 1 });
  }
  return { depth, nodes };
}

function isWithinLimits(value: unknown): boolean {
  const { depth, nodes } = measureFilter(value);
  return depth <= MAX_FILTER_DEPTH && nodes <= MAX_FILTER_NODES;
}

/** Validates a filter tree (with depth/size limits checked first). */
export const Filter: z.ZodType<Filter> = z
  .custom<unknown>(isWithinLimits, {
    message: `filter is nested deeper than ${MAX_FILTER_DEPTH} levels or too large`,
  })
  .pipe(FilterTree);

/** Flattens nested AND/OR of the same kind and unwraps one-child groups (the parser's normal form). */
export function combineFilters(kind: 'and' | 'or', children: Filter[]): Filter {
  const flat: Filter[] = [];
  for (const child of children) {
    if (child.kind === kind) flat.push(...child.children);
    else flat.push(child);
  }
  return flat.length === 1 ? (flat[0] as Filter) : { kind, children: flat };
}

/** The query narrowed by one more filter (ANDed with its own, in the parser's normal form). */
export function narrowQuery<Q extends { filter?: Filter }>(query: Q, filter: Filter): Q {
  return { ...query, filter: query.filter ? combineFilters('and', [query.filter, filter]) : filter };
}

export const SortOrder = z.enum(['asc', 'desc']);

/** The most events a query can name one by one (the table's selection is capped below it). */
export const MAX_SELECTED_EVENTS = 10_000;
export type SortOrder = z.infer<typeof SortOrder>;

/** A search over a case: optional filter plus the time window of the time picker (epoch µs, [from, to)). */
export const EventQuery = z.object({
  filter: Filter.optional(),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  order: SortOrder.optional(),
  /** Only these events (the rows picked in the table): exports, reports and deletions of a selection. */
  seqs: z.array(z.number().int().positive()).min(1).max(MAX_SELECTED_EVENTS).optional(),
});
export type EventQuery = z.infer<typeof EventQuery>;
