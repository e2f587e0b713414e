import { cellText } from '../lib/format.ts';
import { useWorkspace } from '../stores/workspace.ts';

/** A value with filter-for (+) and filter-out (−) actions. The value is always rendered as text. */
export function FieldValue({ field, value }: { field: string; value: string }) {
  const addChip = useWorkspace((s) => s.addChip);
  return (
    <span className="field-value">
      <span className="value-text">{cellText(value)}</span>
      <span className="value-actions">
        <button
          type="button"
          title={`Filter for this ${field}`}
          aria-label={`Filter for ${field}`}
          onClick={() => addChip({ field, value, negated: false })}
        >
          +
        </button>
        <button
          type="button"
          title={`Filter out this ${field}`}
          aria-label={`Filter out ${field}`}
          onClick={() => addChip({ field, value, negated: true })}
        >
          −
        </button>
        <button
          type="button"
          title="Copy the value"
          aria-label={`Copy ${field}`}
          onClick={() => void navigator.clipboard?.writeText(value)}
        >
          ⧉
        </button>
      </span>
    </span>
  );
}
