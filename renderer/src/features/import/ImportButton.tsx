import { useEffect, useRef } from 'react';
import { call, isDesktop, onMenuCommand } from '../../lib/api.ts';
import { useImports } from '../../stores/imports.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { importFiles, importPaths, importRunning } from './import-files.ts';

/** The desktop app's own dialog for files or folders; their paths go to the engine as they are. */
async function chooseAndImport(kind: 'files' | 'folder'): Promise<void> {
  if (importRunning()) return;
  try {
    await importPaths(await call('shell.chooseImport', kind));
  } catch (error) {
    useWorkspace.getState().setNotice(`Import: ${(error as Error).message}`);
  }
}

/**
 * "Import…": the operating system's file dialog in the desktop app (and File ▸ Import Files… /
 * Import Folder… in its menu); the browser's file picker in serve mode (several files at once).
 */
export function ImportButton() {
  const input = useRef<HTMLInputElement>(null);
  const phase = useImports((s) => s.job?.phase);
  const busy = phase === 'uploading' || phase === 'importing';
  const desktop = isDesktop();
  useEffect(
    () =>
      onMenuCommand(({ command }) => {
        if (command === 'import.files') void chooseAndImport('files');
        if (command === 'import.folder') void chooseAndImport('folder');
      }),
    [],
  );
  return (
    <>
      <button
        type="button"
        className="header-button"
        disabled={busy}
        onClick={() => (desktop ? void chooseAndImport('files') : input.current?.click())}
      >
        Import…
      </button>
      {!desktop && (
        <input
          ref={input}
          type="file"
          multiple
          hidden
          aria-label="Choose files to import"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void importFiles(files);
          }}
        />
      )}
    </>
  );
}
