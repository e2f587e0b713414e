import { useEffect, useMemo, useState } from 'react';
import type { SourcePreviewRow } from '../../../../shared/contract.ts';
import type { ImportSummary } from '../../../../shared/domain/import.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { useLive } from '../../stores/live.ts';
import {
  isServerKind,
  SOURCE_KIND_LABEL,
  type SourceInfo,
  type SourceMapping,
  type SourceTableInfo,
} from '../../../../shared/domain/source.ts';
import { call } from '../../lib/api.ts';
import { cellText, formatCount } from '../../lib/format.ts';
import { usePull } from './use-pull.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { RemoteBrowse } from './RemoteBrowse.tsx';

const FIELDS: readonly [keyof SourceMapping, string][] = [
  ['time', 'Time'],
  ['actor', 'Actor'],
  ['action', 'Action'],
  ['target', 'Target'],
  ['outcome', 'Outcome'],
  ['ip', 'IP'],
  ['userAgent', 'User agent'],
  ['sessionId', 'Session'],
  ['requestId', 'Request'],
  ['message', 'Message'],
];

/** Keeps only the fields given a column (an empty input means "not mapped"). */
function cleanMapping(mapping: SourceMapping): SourceMapping {
  return Object.fromEntries(
    Object.entries(mapping).filter(([, column]) => column !== undefined && column !== ''),
  );
}

/**
 * One table of a connected source: its columns, the mapping of columns to event fields (proposed
 * from the column names, or the one saved with the source; a JSON column's member is
 * `column.member`), a preview of the events the rows become, and the pull of a time slice into
 * the open case.
 */
export function SourceTable({
  source,
  tables,
  onSourceChanged,
  onOpenedInLogs,
}: {
  source: SourceInfo;
  tables: string[];
  /** A pull saved the table and mapping with the source. */
  onSourceChanged(): void;
  /** Logs now shows the table read in place (the dialog can go). */
  onOpenedInLogs(): void;
}) {
  const [table, setTable] = useState(source.table && tables.includes(source.table) ? source.table : '');
  return (
    <section className="source-table" aria-label="Source table">
      <label className="source-field">
        <span>Table</span>
        <select aria-label="Table" value={table} onChange={(e) => setTable(e.target.value)}>
          <option value="">Choose a table or view…</option>
          {tables.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      {/* Keyed by table: another table starts with nothing of the last one's. */}
      {table !== '' && (
        <TableWork
          key={table}
          source={source}
          table={table}
          onSourceChanged={onSourceChanged}
          onOpenedInLogs={onOpenedInLogs}
        />
      )}
    </section>
  );
}

function TableWork({
  source,
  table,
  onSourceChanged,
  onOpenedInLogs,
}: {
  source: SourceInfo;
  table: string;
  onSourceChanged(): void;
  onOpenedInLogs(): void;
}) {
  const [info, setInfo] = useState<SourceTableInfo | undefined>();
  const [mapping, setMapping] = useState<SourceMapping>({});
  const browseMapping = useMemo(() => cleanMapping(mapping), [mapping]);
  const [preview, setPreview] = useState<SourcePreviewRow[] | undefined>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [limit, setLimit] = useState('1000000');
  const { pulling, run: runPull } = usePull();
  const [pulled, setPulled] = useState<{ file: string; rows: number; summary: ImportSummary } | undefined>();
  const [following, setFollowing] = useState<string>();
  const [wakeChannel, setWakeChannel] = useState('');
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    call('source.inspect', source.id, table).then(
      (inspected) => {
        if (!live || !inspected.table) return;
        setInfo(inspected.table);
        setMapping(source.table === table && source.mapping ? source.mapping : inspected.table.proposed);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [source.id, source.table, source.mapping, table]);

  const runPreview = (): void => {
    setError(undefined);
    call('source.preview', source.id, table, cleanMapping(mapping)).then(setPreview, (e: Error) =>
      setError(e.message),
    );
  };

  const pull = async (): Promise<void> => {
    setError(undefined);
    try {
      const result = await runPull((jobId) =>
        call('source.pull', source.id, table, cleanMapping(mapping), {
          ...(from.trim() ? { from: from.trim() } : {}),
          ...(to.trim() ? { to: to.trim() } : {}),
          limit: Math.max(1, Math.min(100_000_000, Number(limit) || 1)),
          jobId,
        }),
      );
      setPulled(result);
      onSourceChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <>
      {info && (
        <>
          <p className="muted">
            {info.columns.length} columns; rows are read in time order
            {info.key ? `, ties by ${info.key}` : ' (no key: ties in the order the database returns them)'}.
          </p>
          <datalist id="source-columns">
            {info.columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.type}
              </option>
            ))}
          </datalist>
          <div className="source-mapping" role="group" aria-label="Mapping">
            {FIELDS.map(([field, label]) => (
              <label key={field} className="source-field">
                <span>{label}</span>
                <input
                  list="source-columns"
                  value={mapping[field] ?? ''}
                  placeholder="not mapped"
                  spellCheck={false}
                  onChange={(e) => {
                    setMapping({ ...mapping, [field]: e.target.value });
                    // A preview of another mapping would mislead.
                    setPreview(undefined);
                  }}
                />
              </label>
            ))}
          </div>
          <div className="source-actions">
            <button type="button" onClick={runPreview}>
              Preview
            </button>
            {isServerKind(source.kind) && (
              <button
                type="button"
                title="Search, chart and read this table in the Logs view; every query runs on its server"
                onClick={() => {
                  useWorkspace.getState().readInPlace({
                    scope: { source: source.id, table, mapping: browseMapping },
                    label: `${source.name} (${SOURCE_KIND_LABEL[source.kind]}) ▸ ${table}`,
                  });
                  onOpenedInLogs();
                }}
              >
                Open in Logs
              </button>
            )}
          </div>
          {preview && (
            <table className="source-preview">
              <thead>
                <tr>
                  {['Time', 'Actor', 'Action', 'Target', 'Outcome', 'IP'].map((h) => (
                    <th key={h}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.map((p, i) =>
                  p.event ? (
                    <tr key={i}>
                      {[
                        p.event.time,
                        p.event.actor,
                        p.event.action,
                        p.event.target,
                        p.event.outcome,
                        p.event.ip,
                      ].map((v, j) => (
                        <td key={j}>{cellText(v)}</td>
                      ))}
                    </tr>
                  ) : (
                    <tr key={i} className="source-reject">
                      <td colSpan={6}>{cellText(p.error)}</td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          )}
          {isServerKind(source.kind) && (
            <RemoteBrowse source={source} table={table} mapping={browseMapping} />
          )}
          <fieldset className="source-pull">
            <legend>Pull into the open case</legend>
            <label className="source-field">
              <span>From</span>
              <input value={from} placeholder="earliest" onChange={(e) => setFrom(e.target.value)} />
            </label>
            <label className="source-field">
              <span>To</span>
              <input value={to} placeholder="latest" onChange={(e) => setTo(e.target.value)} />
            </label>
            <label className="source-field">
              <span>At most</span>
              <input value={limit} inputMode="numeric" onChange={(e) => setLimit(e.target.value)} />
            </label>
            <button
              type="button"
              className="primary"
              disabled={pulling !== undefined}
              onClick={() => void pull()}
            >
              {pulling ? `Pulling… ${formatCount(pulling.accepted)}` : 'Pull into case'}
            </button>
            {source.kind === 'postgres' && (
              <label
                className="source-field"
                title="If the application NOTIFYs a channel when it writes (a trigger), new rows are read at once; polls go on regardless. Written as the server knows it: PostgreSQL folds an unquoted NOTIFY name to lower case"
              >
                <span>NOTIFY channel</span>
                <input
                  value={wakeChannel}
                  placeholder="optional"
                  spellCheck={false}
                  onChange={(e) => setWakeChannel(e.target.value)}
                />
              </label>
            )}
            {/* SQLite files are pulled: a text cursor would miss rows (see tail.followTable). */}
            {isServerKind(source.kind) && (
              <button
                type="button"
                title="Store the rows committed from now on as they arrive (Logs shows them live)"
                onClick={() =>
                  call('tail.followTable', source.id, table, cleanMapping(mapping), {
                    fromStart: false,
                    ...(source.kind === 'postgres' && wakeChannel.trim()
                      ? { wakeChannel: wakeChannel.trim() }
                      : {}),
                  }).then(
                    (status) => {
                      useLive.getState().seed(status);
                      setFollowing(status.path);
                    },
                    (e: Error) => setError(e.message),
                  )
                }
              >
                Follow live
              </button>
            )}
          </fieldset>
          {following && (
            <p role="status">
              Following <strong>{cellText(following)}</strong>: new rows arrive in Logs as they are committed
              (the live bar shows the state).
            </p>
          )}
          {pulled && (
            <p role="status">
              Pulled {formatCount(pulled.rows)} rows: {formatCount(pulled.summary.totals.accepted)} new
              events, {formatCount(pulled.summary.totals.duplicates)} already in the case,{' '}
              {formatCount(pulled.summary.totals.rejected)} rejected. Kept as{' '}
              <span className="mono">{cellText(pulled.file)}</span> with its provenance.
            </p>
          )}
        </>
      )}
      <ErrorNote message={error} />
    </>
  );
}
