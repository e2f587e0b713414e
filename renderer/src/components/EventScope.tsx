import { formatCount } from '../lib/format.ts';

export type EventScopeChoice = 'selection' | 'search';

/**
 * Which events a dialog acts on: the rows selected in the table (when there are) or everything
 * the current search matches; `children` adds more choices (a retention rule).
 */
export function EventScope<S extends string>({
  legend,
  seqs,
  scope,
  onScope,
  children,
}: {
  legend: string;
  seqs: readonly number[] | undefined;
  scope: S | EventScopeChoice;
  onScope(scope: EventScopeChoice): void;
  children?: React.ReactNode;
}) {
  return (
    <fieldset className="event-scope">
      <legend className="muted">{legend}</legend>
      {seqs && (
        <label>
          <input
            type="radio"
            name="scope"
            checked={scope === 'selection'}
            onChange={() => onScope('selection')}
          />
          The {formatCount(seqs.length)} selected rows
        </label>
      )}
      <label>
        <input type="radio" name="scope" checked={scope === 'search'} onChange={() => onScope('search')} />
        Everything the current search, filters and time range match
      </label>
      {children}
    </fieldset>
  );
}
