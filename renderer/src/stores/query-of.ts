import type { EventQuery, Filter } from '../../../shared/domain/query.ts';
import { combineFilters, MAX_SELECTED_EVENTS } from '../../../shared/domain/query.ts';
import { PRESET_MICROS, type Chip, type TimePreset } from './workspace.ts';

export interface QueryInputs {
  searchFilter: Filter | undefined;
  chips: readonly Chip[];
  /** Events named one by one (a detection's matches): at most MAX_SELECTED_EVENTS of them. */
  pinnedSeqs?: readonly number[];
  /** A pinned filter (activity outside working hours). */
  pinnedFilter?: Filter;
  preset: TimePreset;
  customFrom: number | undefined;
  customTo: number | undefined;
  order: 'asc' | 'desc';
}

export function chipFilter(chip: Chip): Filter {
  const match: Filter = { kind: 'field', field: chip.field, op: 'eq', value: chip.value };
  return chip.negated ? { kind: 'not', child: match } : match;
}

/** The engine query the workspace shows: search AND every chip, within the time window. */
export function queryOf(inputs: QueryInputs, nowMicros: number): EventQuery {
  const parts = [
    ...(inputs.searchFilter ? [inputs.searchFilter] : []),
    ...inputs.chips.map(chipFilter),
    ...(inputs.pinnedFilter ? [inputs.pinnedFilter] : []),
  ];
  const filter = parts.length === 0 ? undefined : combineFilters('and', parts);
  const window =
    inputs.preset === 'all'
      ? {}
      : inputs.preset === 'custom'
        ? { from: inputs.customFrom, to: inputs.customTo }
        : { from: nowMicros - PRESET_MICROS[inputs.preset] };
  const seqs = inputs.pinnedSeqs?.slice(0, MAX_SELECTED_EVENTS);
  return {
    ...(filter ? { filter } : {}),
    ...window,
    order: inputs.order,
    ...(seqs && seqs.length > 0 ? { seqs } : {}),
  };
}
