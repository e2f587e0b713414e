import { useState } from 'react';
import { Modal } from '../../components/Modal.tsx';
import { useEscapeToClose } from '../../components/use-escape.ts';
import { call } from '../../lib/api.ts';
import { useCase } from '../../stores/case.ts';
import { useImports } from '../../stores/imports.ts';

export type CaseDialogMode = 'create' | 'open';

/** The folder part of a path, with its separator: where a new case goes by default. */
export function folderOf(path: string | undefined): string {
  if (path === undefined) return '';
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? '' : path.slice(0, cut + 1);
}

/**
 * New case / Open case by path. The engine refuses what would lose work: an existing file is never
 * created over, a missing one never silently created, a database that is not a case never opened.
 */
export function CaseDialog({
  mode,
  current,
  onClose,
}: {
  mode: CaseDialogMode;
  current: string | undefined;
  onClose(): void;
}) {
  const [path, setPath] = useState(
    mode === 'create' ? `${folderOf(current)}new-case.auditscope` : folderOf(current),
  );
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const importing = useImports((s) => s.job?.phase === 'uploading' || s.job?.phase === 'importing');
  const title = mode === 'create' ? 'New case' : 'Open case';

  useEscapeToClose(onClose);

  const submit = (): void => {
    setBusy(true);
    setError(undefined);
    call(mode === 'create' ? 'case.create' : 'case.open', path.trim()).then(
      (info) => {
        useCase.getState().switched(info);
        onClose();
      },
      (e: Error) => {
        setBusy(false);
        setError(e.message);
      },
    );
  };

  return (
    <Modal label={title} className="case-dialog" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim() !== '' && !busy && !importing) submit();
        }}
      >
        <h2>{title}</h2>
        <label>
          {mode === 'create' ? 'Case file to create' : 'Case file to open'}
          <input
            autoFocus
            className="mono"
            value={path}
            spellCheck={false}
            onChange={(e) => setPath(e.target.value)}
            aria-invalid={error !== undefined}
          />
        </label>
        <p className="muted hint">
          {mode === 'create'
            ? 'A path on this machine; .auditscope is added if missing. An existing file is never overwritten.'
            : 'The path of an .auditscope file on this machine.'}
        </p>
        {error && (
          <p className="warning" role="alert">
            {error}
          </p>
        )}
        <footer>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || importing || path.trim() === ''}>
            {busy ? 'Opening…' : mode === 'create' ? 'Create' : 'Open'}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
