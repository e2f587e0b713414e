import type { Filter } from '../../../shared/domain/query.ts';
import { resolveField } from '../../../shared/query/fields.ts';
import { ACTIVITY_KINDS } from '../../../shared/lib/activity-kind.ts';

const ACTIVITY_COLUMNS: ReadonlySet<string> = new Set(['action', 'category', 'outcome']);

/**
 * Whether an event's action, category and outcome alone decide if it matches `filter` (undefined:
 * every event does): fields over those columns and `kind:<activity kind>` (a function of the
 * three: activity-kind.ts), combined in any way. Free text, time and every other field: no.
 */
export function decidedByActivity(filter: Filter | undefined): boolean {
  if (filter === undefined) return true;
  switch (filter.kind) {
    case 'and':
    case 'or':
      return filter.children.every(decidedByActivity);
    case 'not':
      return decidedByActivity(filter.child);
    case 'field': {
      // The same test as the compiler's: other values of `kind:` search the record's own field.
      if (filter.field.toLowerCase() === 'kind')
        return (
          filter.op === 'eq' &&
          (ACTIVITY_KINDS as readonly string[]).includes((filter.value ?? '').toLowerCase())
        );
      const field = resolveField(filter.field);
      return field !== undefined && field.columns.every((column) => ACTIVITY_COLUMNS.has(column));
    }
    default:
      return false;
  }
}
