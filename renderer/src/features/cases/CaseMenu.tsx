import { useCallback, useEffect, useRef, useState } from 'react';
import { call, isDesktop, onMenuCommand } from '../../lib/api.ts';
import { cellText } from '../../lib/format.ts';
import { useCase } from '../../stores/case.ts';
import { useImports } from '../../stores/imports.ts';
import { CaseDialog, type CaseDialogMode } from './CaseDialog.tsx';
import { VerifyDialog } from './VerifyDialog.tsx';

/**
 * The case switcher in the header: the open case's name, and a menu to create a case, open one, or
 * reopen a recent one. The desktop app asks with the operating system's dialogs (and its File
 * menu sends the same commands here); serve mode takes the engine's (that machine's) paths typed.
 */
export function CaseMenu({ onDeleteEvents }: { onDeleteEvents(): void }) {
  const info = useCase((s) => s.info);
  const recent = useCase((s) => s.recent);
  const setRecent = useCase((s) => s.setRecent);
  const importing = useImports((s) => s.job?.phase === 'uploading' || s.job?.phase === 'importing');
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<CaseDialogMode | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [verifying, setVerifying] = useState(false);
  const closeVerify = useCallback(() => setVerifying(false), []);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    void call('case.recent').then(setRecent, () => undefined);
    const close = (event: MouseEvent): void => {
      if (!menu.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open, setRecent]);

  const closeDialog = useCallback(() => setDialog(undefined), []);

  const reopen = useCallback((path: string): void => {
    setOpen(false);
    setError(undefined);
    call('case.open', path).then(
      (opened) => useCase.getState().switched(opened),
      (e: Error) => setError(e.message),
    );
  }, []);

  const choose = useCallback((mode: CaseDialogMode): void => {
    setOpen(false);
    setError(undefined);
    if (!isDesktop()) {
      setDialog(mode);
      return;
    }
    call('shell.chooseCase', mode).then(
      (opened) => {
        if (opened) useCase.getState().switched(opened);
      },
      (e: Error) => setError(e.message),
    );
  }, []);

  useEffect(
    () =>
      onMenuCommand((command) => {
        if (command.command === 'case.new') choose('create');
        if (command.command === 'case.open') choose('open');
        if (command.command === 'case.verify') setVerifying(true);
        if (command.command === 'case.openPath') reopen(command.path);
      }),
    [choose, reopen],
  );

  return (
    <div className="case-menu" ref={menu}>
      <button
        type="button"
        className="header-button case-button"
        aria-haspopup="menu"
        aria-expanded={open}
        title={info?.path}
        onClick={() => setOpen(!open)}
      >
        <span className="muted">Case</span> {info ? cellText(info.name) : '…'} ▾
      </button>
      {open && (
        <div
          className="menu"
          role="menu"
          aria-label="Case"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              setOpen(false);
            }
          }}
        >
          {(
            [
              ['create', 'New case…'],
              ['open', 'Open case…'],
            ] as const
          ).map(([mode, label]) => (
            <button
              key={mode}
              type="button"
              role="menuitem"
              disabled={importing}
              onClick={() => choose(mode)}
            >
              {label}
            </button>
          ))}
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setOpen(false);
              setVerifying(true);
            }}
          >
            Verify case…
          </button>
          <button
            type="button"
            role="menuitem"
            disabled={importing}
            onClick={() => {
              setOpen(false);
              onDeleteEvents();
            }}
          >
            Delete events…
          </button>
          {recent.length > 1 && <div className="menu-heading">Recent</div>}
          {recent
            .filter((r) => r.path !== info?.path)
            .map((r) => (
              <div key={r.path} className="menu-row">
                <button
                  type="button"
                  role="menuitem"
                  disabled={!r.exists || importing}
                  title={r.exists ? r.path : `${r.path} (missing)`}
                  onClick={() => reopen(r.path)}
                >
                  {cellText(r.name)}
                  <span className="menu-path">{cellText(r.path)}</span>
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Forget ${r.name}`}
                  title="Remove from this list (the file stays)"
                  onClick={() => {
                    void call('case.forget', r.path).then(() => setRecent(recent.filter((x) => x !== r)));
                  }}
                >
                  ✕
                </button>
              </div>
            ))}
          {importing && <p className="menu-note muted">An import is running in this case.</p>}
        </div>
      )}
      {error && (
        <p className="case-error" role="alert">
          {error}{' '}
          <button type="button" className="text-button" onClick={() => setError(undefined)}>
            dismiss
          </button>
        </p>
      )}
      {dialog && <CaseDialog mode={dialog} current={info?.path} onClose={closeDialog} />}
      {verifying && <VerifyDialog onClose={closeVerify} />}
    </div>
  );
}
