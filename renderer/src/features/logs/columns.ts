import type { StoredEvent } from '../../../../shared/contract.ts';

export interface Column {
  id: string;
  label: string;
  /** The search field a click on a value filters by. */
  field: string;
  width: number;
  value(event: StoredEvent): string | undefined;
}

/** The table's columns, in order. Widths are pixels; the message column takes the rest. */
export const COLUMNS: readonly Column[] = [
  { id: 'actor', label: 'Actor', field: 'actor', width: 210, value: (e) => e.actor.name ?? e.actor.id },
  { id: 'action', label: 'Action', field: 'action', width: 230, value: (e) => e.action },
  { id: 'category', label: 'Category', field: 'category', width: 110, value: (e) => e.category },
  { id: 'target', label: 'Target', field: 'target', width: 200, value: (e) => e.target.name ?? e.target.id },
  { id: 'outcome', label: 'Outcome', field: 'outcome', width: 84, value: (e) => e.outcome },
  { id: 'ip', label: 'IP', field: 'ip', width: 130, value: (e) => e.ip },
  { id: 'source', label: 'Source', field: 'source', width: 120, value: (e) => e.source },
  { id: 'message', label: 'Message', field: 'message', width: 0, value: (e) => e.message },
];
