import { useState } from 'react';
import type { EventQuery } from '../../../../shared/domain/query.ts';
import { call } from '../../lib/api.ts';
import { cellText, formatCount } from '../../lib/format.ts';
import { useWorkspace, type RemoteTable } from '../../stores/workspace.ts';
import { usePull } from './use-pull.ts';

/** At most this many rows are pulled from the banner at once (the Connect dialog sets any limit). */
const PULL_LIMIT = 1_000_000;

/**
 * Says that Logs reads a database table in place, not the case: the search, window and chips run
 * on its server, and nothing is copied. "Pull into case" copies exactly the rows shown (the same
 * filter, run on the server) into the case, with their provenance, for what only a case can do:
 * marks, notes, detections, the other views, exports with chain of custody.
 */
export function InPlaceBanner({ remote, query }: { remote: RemoteTable; query: EventQuery }) {
  const readInPlace = useWorkspace((s) => s.readInPlace);
  const { pulling, run } = usePull();
  const [outcome, setOutcome] = useState<string | undefined>();

  const pull = async (): Promise<void> => {
    setOutcome(undefined);
    try {
      const { scope } = remote;
      const pulled = await run((jobId) =>
        call('source.pull', scope.source, scope.table, scope.mapping, {
          limit: PULL_LIMIT,
          jobId,
          query: {
            ...(query.filter ? { filter: query.filter } : {}),
            ...(query.from !== undefined ? { from: query.from } : {}),
            ...(query.to !== undefined ? { to: query.to } : {}),
          },
        }),
      );
      const { accepted, duplicates, rejected } = pulled.summary.totals;
      setOutcome(
        `Pulled ${formatCount(pulled.rows)} rows: ${formatCount(accepted)} new events, ` +
          `${formatCount(duplicates)} already in the case, ${formatCount(rejected)} rejected` +
          (pulled.rows === PULL_LIMIT
            ? ` — the oldest ${formatCount(PULL_LIMIT)} only: narrow the search, or set a larger limit in Connect…`
            : ''),
      );
    } catch (error) {
      setOutcome(`Nothing pulled: ${(error as Error).message}`);
    }
  };

  return (
    <div className="in-place-banner" role="region" aria-label="Reading a table in place">
      <span className="in-place-label">
        Reading <strong className="mono">{cellText(remote.label)}</strong> in place: the search, time window
        and filters run on its database server; nothing is copied into the case.
      </span>
      {outcome && (
        <span className="muted" role="status">
          {cellText(outcome)}
        </span>
      )}
      <button
        type="button"
        disabled={pulling !== undefined}
        title={`Copy the rows shown (at most ${formatCount(PULL_LIMIT)}, oldest first) into the case, with their provenance`}
        onClick={() => void pull()}
      >
        {pulling ? `Pulling… ${formatCount(pulling.accepted)}` : 'Pull these rows into the case'}
      </button>
      <button type="button" onClick={() => readInPlace(undefined)}>
        Back to the case
      </button>
    </div>
  );
}
