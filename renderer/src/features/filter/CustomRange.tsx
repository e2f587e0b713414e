import { useState } from 'react';
import { formatTimeValue, parseTimeValue } from '../../../../shared/query/fields.ts';
import { useWorkspace } from '../../stores/workspace.ts';

/**
 * A typed time range: ISO 8601 (a bare time is UTC; add an offset like +02:00 otherwise) or an
 * epoch number. Either end may stay empty for an open range.
 */
export function CustomRange({ onDone }: { onDone(): void }) {
  const customFrom = useWorkspace((s) => s.customFrom);
  const customTo = useWorkspace((s) => s.customTo);
  const setCustomRange = useWorkspace((s) => s.setCustomRange);
  const [from, setFrom] = useState(customFrom === undefined ? '' : formatTimeValue(customFrom));
  const [to, setTo] = useState(customTo === undefined ? '' : formatTimeValue(customTo));
  const fromValue = from.trim() === '' ? undefined : parseTimeValue(from);
  const toValue = to.trim() === '' ? undefined : parseTimeValue(to);
  const fromBad = from.trim() !== '' && fromValue === undefined;
  const toBad = to.trim() !== '' && toValue === undefined;
  const reversed = fromValue !== undefined && toValue !== undefined && fromValue >= toValue;
  const valid = !fromBad && !toBad && !reversed && (fromValue !== undefined || toValue !== undefined);

  const apply = (): void => {
    if (!valid) return;
    setCustomRange(fromValue, toValue);
    onDone();
  };

  return (
    <form
      className="custom-range"
      aria-label="Custom time range"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <input
        aria-label="From"
        placeholder="from, e.g. 2024-03-01T00:00Z"
        value={from}
        aria-invalid={fromBad}
        onChange={(e) => setFrom(e.target.value)}
      />
      <span className="muted">→</span>
      <input
        aria-label="To"
        placeholder="to (exclusive)"
        value={to}
        aria-invalid={toBad || reversed}
        onChange={(e) => setTo(e.target.value)}
      />
      <button type="submit" disabled={!valid}>
        Apply
      </button>
      <button type="button" className="text-button" onClick={onDone}>
        Cancel
      </button>
      {reversed && <span className="warning">the start must come before the end</span>}
    </form>
  );
}
