import type { StoredEvent } from '../../../../shared/contract.ts';
import type { ColumnLayout } from '../../stores/columns.ts';
import { rawPathValue } from './raw-path.ts';

export interface Column {
  id: string;
  label: string;
  /** The search field a value filters by. */
  field: string;
  width: number;
  value(event: StoredEvent): string | undefined;
}

const BUILT_IN: Record<string, Omit<Column, 'width'>> = {
  actor: { id: 'actor', label: 'Actor', field: 'actor', value: (e) => e.actor.name ?? e.actor.id },
  action: { id: 'action', label: 'Action', field: 'action', value: (e) => e.action },
  category: { id: 'category', label: 'Category', field: 'category', value: (e) => e.category },
  target: { id: 'target', label: 'Target', field: 'target', value: (e) => e.target.name ?? e.target.id },
  outcome: { id: 'outcome', label: 'Outcome', field: 'outcome', value: (e) => e.outcome },
  ip: { id: 'ip', label: 'IP', field: 'ip', value: (e) => e.ip },
  source: { id: 'source', label: 'Source', field: 'source', value: (e) => e.source },
  message: { id: 'message', label: 'Message', field: 'message', value: (e) => e.message },
};

export function columnLabel(id: string): string {
  return BUILT_IN[id]?.label ?? id.replace(/^raw:/, '');
}

/** The visible columns of a layout, in order; raw-path columns read the original record. */
export function columnsOf(layout: readonly ColumnLayout[]): Column[] {
  const columns: Column[] = [];
  for (const entry of layout) {
    if (entry.hidden) continue;
    const builtIn = BUILT_IN[entry.id];
    if (builtIn) columns.push({ ...builtIn, width: entry.width });
    else if (entry.id.startsWith('raw:')) {
      const path = entry.id.slice(4);
      columns.push({
        id: entry.id,
        label: path,
        field: path,
        width: entry.width,
        value: (e) => rawPathValue(e, path),
      });
    }
  }
  return columns;
}
