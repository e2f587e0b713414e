import { useEffect, useRef } from 'react';
import type { StoredEvent } from '../../../../shared/contract.ts';
import { cellText } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { useDismiss } from '../../components/use-escape.ts';

/** What a right-click on a cell is about: the event, and the column's field and value (if any). */
export interface CellTarget {
  /** Where the menu opens (page coordinates, already kept inside the window). */
  x: number;
  y: number;
  event: StoredEvent;
  /** Absent for the time column, which copies as text but is filtered with the time range. */
  field?: string;
  label: string;
  value: string | undefined;
}

async function copy(text: string, what: string): Promise<void> {
  await navigator.clipboard.writeText(text);
  const { setNotice } = useWorkspace.getState();
  setNotice(`Copied ${what}`);
  setTimeout(() => {
    if (useWorkspace.getState().notice === `Copied ${what}`) setNotice(undefined);
  }, 3000);
}

/**
 * The cell's context menu: copy the value or the whole event, or filter for or out the value,
 * the table-side equivalent of the detail panel's value actions.
 */
export function CellMenu({ target, onClose }: { target: CellTarget; onClose(): void }) {
  const menu = useRef<HTMLDivElement>(null);
  const addChip = useWorkspace((s) => s.addChip);

  useDismiss(menu, onClose);
  useEffect(() => {
    menu.current?.querySelector('button')?.focus();
  }, []);

  const run = (action: () => unknown) => () => {
    onClose();
    void action();
  };
  const { value, field, label, event } = target;
  const hasValue = value !== undefined && value !== '';
  return (
    <div
      ref={menu}
      className="menu cell-menu"
      role="menu"
      aria-label={`${label} cell`}
      style={{ left: target.x, top: target.y }}
    >
      <button
        type="button"
        role="menuitem"
        disabled={!hasValue}
        onClick={run(() => copy(value ?? '', label.toLowerCase()))}
      >
        Copy {label.toLowerCase()}
        {hasValue && <span className="menu-path">{cellText(value)}</span>}
      </button>
      <button
        type="button"
        role="menuitem"
        onClick={run(() => copy(JSON.stringify(event), 'the event as JSON'))}
      >
        Copy the event as JSON
      </button>
      {field !== undefined && (
        <>
          <button
            type="button"
            role="menuitem"
            disabled={!hasValue}
            onClick={run(() => addChip({ field, value: value ?? '', negated: false }))}
          >
            Filter for this {label.toLowerCase()}
          </button>
          <button
            type="button"
            role="menuitem"
            disabled={!hasValue}
            onClick={run(() => addChip({ field, value: value ?? '', negated: true }))}
          >
            Filter out this {label.toLowerCase()}
          </button>
        </>
      )}
    </div>
  );
}
