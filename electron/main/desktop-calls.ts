import type { CaseHost } from '../engine/cases/case-host.ts';
import type { Implementation } from '../engine/dispatch.ts';
import { nativeDialogCalls, type Dialogs } from './native-dialogs.ts';
import type { PathGrants } from './path-grants.ts';

type ImportFiles = (paths: string[], options: { jobId?: string; casePath?: string }) => Promise<unknown>;

/**
 * The contract as the desktop app answers it: the engine's calls, the native dialogs, and the
 * checks that only paths the analyst handed over are read or created (see PathGrants).
 */
export function desktopImplementation(options: {
  engine: Implementation;
  cases: CaseHost;
  dialogs: Dialogs;
  grants: PathGrants;
  documentsDir: string;
  /** The recent list changed (a case forgotten): the menu follows. */
  onRecentChanged: () => void;
}): Implementation {
  const { engine, cases, grants } = options;
  const dialogs = nativeDialogCalls(options.dialogs, cases, options.documentsDir);
  const importFiles = engine['import.files'] as ImportFiles;
  const openCase = engine['case.open'] as (file: string) => Promise<unknown>;
  const forget = engine['case.forget'] as (file: string) => Promise<void>;
  return {
    ...engine,
    ...dialogs,
    'shell.chooseImport': async (kind: 'files' | 'folder') => {
      const picked = await dialogs['shell.chooseImport'](kind);
      for (const file of picked) grants.grant(file);
      return picked;
    },
    'import.files': async (paths: string[], importOptions: { jobId?: string; casePath?: string }) => {
      const refused = paths.find((file) => !grants.allows(file));
      if (refused !== undefined) {
        throw new Error(
          `${refused} was not picked or dropped in this window: import it with File ▸ Import… or drop it here`,
        );
      }
      return importFiles(paths, importOptions);
    },
    'case.open': async (file: string) => {
      if (!grants.allows(file) && !cases.recent().some((recent) => recent.path === file)) {
        throw new Error(`${file} was not picked in this window: open it with File ▸ Open Case…`);
      }
      return openCase(file);
    },
    // New cases are named in the save dialog only (shell.chooseCase), never by the page.
    'case.create': () => Promise.reject(new Error('create a case with File ▸ New Case…')),
    'case.forget': async (file: string) => {
      await forget(file);
      options.onRecentChanged();
    },
  };
}
