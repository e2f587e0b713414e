import { useCallback, useEffect, useRef, useState } from 'react';
import {
  DEFAULT_PORT,
  isServerKind,
  SOURCE_KIND_LABEL,
  type SourceInfo,
  type SourceKind,
  type TlsMode,
} from '../../../../shared/domain/source.ts';
import { Modal } from '../../components/Modal.tsx';
import { useEscapeToClose } from '../../components/use-escape.ts';
import { call, isDesktop } from '../../lib/api.ts';
import { cellText } from '../../lib/format.ts';
import { SourceTable } from './SourceTable.tsx';
import { ErrorNote } from '../../components/ErrorNote.tsx';

interface Draft {
  id?: string;
  name: string;
  kind: SourceKind;
  host: string;
  port: string;
  database: string;
  user: string;
  tls: TlsMode;
  certificate: string;
  file: string;
}

const EMPTY: Draft = {
  name: '',
  kind: 'postgres',
  host: 'localhost',
  port: '5432',
  database: '',
  user: '',
  tls: 'verify',
  certificate: '',
  file: '',
};

function draftOf(source: SourceInfo): Draft {
  return {
    id: source.id,
    name: source.name,
    kind: source.kind,
    host: source.host ?? '',
    port: String(source.port ?? (isServerKind(source.kind) ? DEFAULT_PORT[source.kind] : '')),
    database: source.database ?? '',
    user: source.user ?? '',
    tls: source.tls,
    certificate: source.certificate ?? '',
    file: source.file ?? '',
  };
}

/**
 * File ▸ Connect to a Database…: saved sources (PostgreSQL servers, SQLite files other
 * applications write), each connected read-only to look at a table, map its columns to events,
 * preview them and pull a slice into the open case. Passwords go to the engine and are never
 * shown again: the desktop app keeps them encrypted by the OS keystore.
 */
export function SourcesDialog({ onClose }: { onClose(): void }) {
  const [sources, setSources] = useState<SourceInfo[]>([]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [password, setPassword] = useState('');
  const [connected, setConnected] = useState<
    { source: SourceInfo; location: string; tables: string[] } | undefined
  >();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  /** Bumped by every selection and connection: an answer to an older one is ignored. */
  const attempt = useRef(0);
  useEscapeToClose(onClose);

  const reload = useCallback(
    () => call('source.list').then(setSources, (e: Error) => setError(e.message)),
    [],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  const select = (source: SourceInfo | undefined): void => {
    attempt.current++;
    setDraft(source ? draftOf(source) : EMPTY);
    setPassword('');
    setConnected(undefined);
    setError(undefined);
  };
  const current = sources.find((s) => s.id === draft.id);

  const saveAndConnect = async (): Promise<void> => {
    const mine = ++attempt.current;
    setBusy(true);
    setError(undefined);
    setConnected(undefined);
    try {
      const server = isServerKind(draft.kind);
      const saved = await call(
        'source.save',
        {
          ...(draft.id ? { id: draft.id } : {}),
          name:
            draft.name.trim() ||
            (server ? `${draft.database}@${draft.host}` : draft.file.split(/[\\/]/).pop() || 'SQLite'),
          kind: draft.kind,
          tls: server ? draft.tls : 'disable',
          ...(isServerKind(draft.kind)
            ? {
                host: draft.host.trim(),
                port: Number(draft.port) || DEFAULT_PORT[draft.kind],
                database: draft.database.trim(),
                user: draft.user.trim(),
                ...(draft.tls === 'pinned' ? { certificate: draft.certificate.trim() } : {}),
              }
            : { file: draft.file.trim() }),
          ...(current?.table ? { table: current.table } : {}),
          ...(current?.mapping ? { mapping: current.mapping } : {}),
        },
        password ? { action: 'set', password } : { action: 'keep' },
      );
      if (mine !== attempt.current) return;
      setPassword('');
      setDraft(draftOf(saved));
      await reload();
      const inspected = await call('source.inspect', saved.id, null);
      if (mine !== attempt.current) return;
      setConnected({ source: saved, location: inspected.location, tables: inspected.tables });
    } catch (e) {
      if (mine === attempt.current) setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  /** Forgets the kept password (the source stays). */
  const forgetPassword = async (): Promise<void> => {
    if (!current) return;
    try {
      await call('source.save', current, { action: 'forget' });
      await reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const remove = async (): Promise<void> => {
    if (!current) return;
    if (
      !window.confirm(
        `Remove the source “${current.name}”? Its kept password is forgotten; events pulled from it stay in the case.`,
      )
    )
      return;
    try {
      await call('source.remove', current.id);
      select(undefined);
      await reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const browse = async (kind: 'database' | 'certificate'): Promise<void> => {
    const file = await call('shell.chooseSourceFile', kind);
    if (file) setDraft(kind === 'database' ? { ...draft, file } : { ...draft, certificate: file });
  };

  const field = (
    key: keyof Draft,
    label: string,
    props: React.InputHTMLAttributes<HTMLInputElement> = {},
  ) => (
    <label className="source-field">
      <span>{label}</span>
      <input
        value={draft[key] ?? ''}
        spellCheck={false}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        {...props}
      />
    </label>
  );

  return (
    <Modal label="Database sources" className="sources-dialog" onClose={onClose}>
      <header>
        <h2>Connect to a database</h2>
      </header>
      <div className="sources-layout">
        <nav className="sources-list" aria-label="Saved sources">
          {sources.map((s) => (
            <button
              key={s.id}
              type="button"
              className={s.id === draft.id ? 'selected' : undefined}
              onClick={() => select(s)}
            >
              {cellText(s.name)}
              <span className="muted"> {SOURCE_KIND_LABEL[s.kind]}</span>
            </button>
          ))}
          <button
            type="button"
            className={draft.id === undefined ? 'selected' : undefined}
            onClick={() => select(undefined)}
          >
            + New source
          </button>
        </nav>
        <div className="sources-detail">
          <form
            className="source-form"
            onSubmit={(e) => {
              e.preventDefault();
              void saveAndConnect();
            }}
          >
            {field('name', 'Name', { placeholder: 'e.g. app audit log' })}
            <label className="source-field">
              <span>Kind</span>
              <select
                aria-label="Kind"
                value={draft.kind}
                onChange={(e) => {
                  const kind = e.target.value as SourceKind;
                  // The port follows the kind while it is still the other kind's default.
                  const defaults = Object.values(DEFAULT_PORT).map(String);
                  const port =
                    isServerKind(kind) && defaults.includes(draft.port)
                      ? String(DEFAULT_PORT[kind])
                      : draft.port;
                  setDraft({ ...draft, kind, port });
                }}
              >
                <option value="postgres">PostgreSQL server</option>
                <option value="mysql">MySQL / MariaDB server</option>
                <option value="sqlite">SQLite database file</option>
              </select>
            </label>
            {isServerKind(draft.kind) ? (
              <>
                {field('host', 'Host')}
                {field('port', 'Port', { inputMode: 'numeric' })}
                {field('database', 'Database')}
                {field('user', 'User', { autoComplete: 'off' })}
                <label className="source-field">
                  <span>Password</span>
                  <input
                    type="password"
                    value={password}
                    autoComplete="off"
                    placeholder={current?.hasPassword ? 'kept — type to replace' : 'none kept'}
                    onChange={(e) => setPassword(e.target.value)}
                  />
                </label>
                <label className="source-field">
                  <span>TLS</span>
                  <select
                    aria-label="TLS"
                    value={draft.tls}
                    onChange={(e) => setDraft({ ...draft, tls: e.target.value as Draft['tls'] })}
                  >
                    <option value="verify">Required, certificate and host name verified</option>
                    <option value="pinned">Required, pinned to a certificate file I trust</option>
                    <option value="disable">Off (a local or lab server only)</option>
                  </select>
                </label>
                {draft.tls === 'pinned' && (
                  <div className="source-file">
                    {field('certificate', 'Certificate', {
                      placeholder: 'PEM file of the server’s certificate or its CA',
                    })}
                    {isDesktop() && (
                      <button type="button" onClick={() => void browse('certificate')}>
                        Browse…
                      </button>
                    )}
                  </div>
                )}
              </>
            ) : (
              <div className="source-file">
                {field('file', 'File', {
                  placeholder: isDesktop() ? 'choose with Browse…' : 'path on this machine',
                })}
                {isDesktop() && (
                  <button type="button" onClick={() => void browse('database')}>
                    Browse…
                  </button>
                )}
              </div>
            )}
            <footer>
              {current && (
                <button type="button" onClick={() => void remove()}>
                  Remove
                </button>
              )}
              {current?.hasPassword && (
                <button type="button" onClick={() => void forgetPassword()}>
                  Forget password
                </button>
              )}
              <button type="submit" className="primary" disabled={busy}>
                {busy ? 'Connecting…' : 'Save and connect'}
              </button>
            </footer>
          </form>
          <ErrorNote message={error} />
          {connected && (
            <>
              <p role="status" className="source-connected">
                Connected read-only to <span className="mono">{cellText(connected.location)}</span>:{' '}
                {connected.tables.length} tables and views.
              </p>
              <SourceTable
                key={connected.source.id}
                // As saved now: a pull keeps the table and mapping with the source.
                source={sources.find((s) => s.id === connected.source.id) ?? connected.source}
                tables={connected.tables}
                onSourceChanged={() => void reload()}
                onOpenedInLogs={onClose}
              />
            </>
          )}
        </div>
      </div>
    </Modal>
  );
}
