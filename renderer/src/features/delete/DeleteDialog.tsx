import { useEffect, useMemo, useState } from 'react';
import type { EventQuery } from '../../../../shared/domain/query.ts';
import type { DeletionSummary, DeletionTarget } from '../../../../shared/domain/deletion.ts';
import { EVENT_CATEGORIES } from '../../../../shared/domain/audit-event.ts';
import { Modal } from '../../components/Modal.tsx';
import { EventScope } from '../../components/EventScope.tsx';
import { useEscapeToClose } from '../../components/use-escape.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { call } from '../../lib/api.ts';
import { formatCount } from '../../lib/format.ts';
import { useImports } from '../../stores/imports.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { useMarks } from '../../stores/marks.ts';

type Scope = 'selection' | 'search' | 'retention';
const MICROS_PER_DAY = 86_400e6;

/** What the target will delete, counted by the same engine query the deletion runs. */
function countQuery(target: DeletionTarget): EventQuery {
  if (target.kind === 'events') return { seqs: target.seqs };
  if (target.kind === 'query') return target.query;
  return {
    to: Date.now() * 1000 - target.days * MICROS_PER_DAY,
    ...(target.category === undefined
      ? {}
      : { filter: { kind: 'field', field: 'category', op: 'eq', value: target.category } }),
  };
}

/**
 * Delete events… : remove the selected rows, everything the current search matches, or what a
 * retention rule (older than N days, one category or all) names, from the case. Counted first,
 * confirmed explicitly, journaled by the engine with the deleted events' ids; the input files are
 * never touched (re-importing them brings the events back).
 */
export function DeleteDialog({
  query,
  seqs,
  onClose,
}: {
  query: EventQuery;
  seqs?: number[];
  onClose(): void;
}) {
  const [scope, setScope] = useState<Scope>(seqs ? 'selection' : 'search');
  const [days, setDays] = useState(90);
  const [category, setCategory] = useState('');
  // Keyed by the target they were made for: another choice starts uncounted and unconfirmed.
  const [counted, setCounted] = useState<{ key: string; count: number } | undefined>();
  const [confirmedKey, setConfirmedKey] = useState<string | undefined>();
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState<DeletionSummary | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEscapeToClose(running ? () => undefined : onClose);

  const target = useMemo<DeletionTarget>(() => {
    if (scope === 'selection' && seqs) return { kind: 'events', seqs };
    if (scope === 'retention')
      return { kind: 'retention', days: Math.max(1, Math.floor(days)), ...(category ? { category } : {}) };
    return { kind: 'query', query: { ...query, order: undefined } };
  }, [scope, seqs, days, category, query]);

  const key = JSON.stringify(target);
  const count = counted?.key === key ? counted.count : undefined;
  const confirmed = confirmedKey === key;
  const setConfirmed = (yes: boolean): void => setConfirmedKey(yes ? key : undefined);

  useEffect(() => {
    let live = true;
    call('query.total', countQuery(JSON.parse(key) as DeletionTarget)).then(
      (n) => live && setCounted({ key, count: n }),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [key]);

  const remove = (): void => {
    setRunning(true);
    setError(undefined);
    call('events.delete', target).then(
      (summary) => {
        setRunning(false);
        setDone(summary);
        useWorkspace.setState({ selected: [], cursor: 0, detailSeq: undefined });
        // The deleted events' marks went with them.
        useMarks.getState().clear();
        useImports.getState().requery();
      },
      (e: Error) => {
        setRunning(false);
        setError(e.message);
      },
    );
  };

  return (
    <Modal label="Delete events" className="delete-dialog" onClose={running ? () => undefined : onClose}>
      <header>
        <h2>Delete events from the case</h2>
      </header>
      {done ? (
        <>
          <p>
            Deleted {formatCount(done.events)} events. The deletion is in the case journal with the SHA-256 of
            their ids:
          </p>
          <p className="mono">{done.idsSha256}</p>
          <footer>
            <button type="button" className="primary" autoFocus onClick={onClose}>
              Close
            </button>
          </footer>
        </>
      ) : (
        <>
          <EventScope legend="Which events" seqs={seqs} scope={scope} onScope={setScope}>
            <label>
              <input
                type="radio"
                name="scope"
                checked={scope === 'retention'}
                onChange={() => setScope('retention')}
              />
              A retention rule: events older than{' '}
              <input
                type="number"
                aria-label="Days"
                min={1}
                max={36500}
                value={days}
                onChange={(e) => setDays(Number(e.target.value))}
                onFocus={() => setScope('retention')}
              />{' '}
              days, of{' '}
              <select
                aria-label="Category"
                value={category}
                onChange={(e) => setCategory(e.target.value)}
                onFocus={() => setScope('retention')}
              >
                <option value="">every category</option>
                {EVENT_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
          </EventScope>
          <p>
            {count === undefined
              ? 'Counting…'
              : `${formatCount(count)} events will be removed from this case`}
            , with their stars, tags and notes. The imported files are not touched: importing them again
            brings the events back.
          </p>
          <label className="delete-confirm">
            <input
              type="checkbox"
              checked={confirmed}
              disabled={!count}
              onChange={(e) => setConfirmed(e.target.checked)}
            />{' '}
            I want to delete these events (recorded in the case journal)
          </label>
          <ErrorNote message={error} />
          <footer>
            <button type="button" onClick={onClose} disabled={running}>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              disabled={!confirmed || !count || running}
              onClick={remove}
            >
              {running ? 'Deleting…' : `Delete ${count === undefined ? '' : formatCount(count)} events`}
            </button>
          </footer>
        </>
      )}
    </Modal>
  );
}
