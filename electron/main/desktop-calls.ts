import type { CaseHost } from '../engine/cases/case-host.ts';
import type { Implementation } from '../engine/dispatch.ts';
import { nativeDialogCalls, type Dialogs } from './native-dialogs.ts';
import { PathGrants } from './path-grants.ts';
import type { ExportFormat } from '../../shared/domain/export.ts';
import type { SourceDraft, SourceRegistry } from '../engine/sources/source-registry.ts';

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
  sources: SourceRegistry;
  /** Files the analyst chose in the export save dialog: the only files an export may write. */
  exportTargets: PathGrants;
  documentsDir: string;
  /** The recent list changed (a case forgotten): the menu follows. */
  onRecentChanged: () => void;
  /** The page asked for its case: it is up and listening for menu commands. */
  onPageReady: () => void;
}): Implementation {
  const { engine, cases, grants } = options;
  /** SQLite files picked as sources: apart from imports, so picking one as a source imports nothing. */
  const sourceFiles = new PathGrants();
  const dialogs = nativeDialogCalls(options.dialogs, cases, options.documentsDir);
  const importFiles = engine['import.files'] as ImportFiles;
  const openCase = engine['case.open'] as (file: string) => Promise<unknown>;
  const forget = engine['case.forget'] as (file: string) => Promise<void>;
  const current = engine['case.current'] as () => Promise<unknown>;
  const saveSource = engine['source.save'] as (draft: SourceDraft, change: unknown) => Promise<unknown>;
  const exportStart = engine['export.start'] as (query: unknown, job: { path: string }) => Promise<unknown>;
  return {
    ...engine,
    ...dialogs,
    'case.current': async () => {
      const info = await current();
      options.onPageReady();
      return info;
    },
    'shell.chooseImport': async (kind: 'files' | 'folder') => {
      const picked = await dialogs['shell.chooseImport'](kind);
      for (const file of picked) grants.grant(file);
      return picked;
    },
    'shell.chooseExportFile': async (format: ExportFormat, suggestedName: string) => {
      const file = await dialogs['shell.chooseExportFile'](format, suggestedName);
      if (file !== null) options.exportTargets.grant(file);
      return file;
    },
    'shell.chooseSourceFile': async (kind: 'database' | 'certificate') => {
      const file = await dialogs['shell.chooseSourceFile'](kind);
      // A database picked here may be read as a source (see source.save); a certificate is only
      // ever parsed as one, so a typed path is as good as a picked one.
      if (file !== null && kind === 'database') sourceFiles.grant(file);
      return file;
    },
    // An SQLite source is a file the page could otherwise name to read any database the user can:
    // it must be the one picked in the dialog, or the one the source already reads.
    'source.save': async (draft: SourceDraft, change: unknown) => {
      const before = draft.id === undefined ? undefined : options.sources.get(draft.id);
      const unchanged = before?.kind === 'sqlite' && before.file === draft.file;
      const picked = draft.file !== undefined && sourceFiles.hasExactly(draft.file);
      if (draft.kind === 'sqlite' && !unchanged && !picked) {
        throw new Error(
          `${draft.file ?? 'that file'} was not picked in this window: choose the database file with Browse…`,
        );
      }
      return saveSource(draft, change);
    },
    'export.start': async (query: unknown, job: { path: string }) => {
      if (!options.exportTargets.hasExactly(job.path)) {
        throw new Error(`${job.path} was not chosen in this window: export with File ▸ Export…`);
      }
      return exportStart(query, job);
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
