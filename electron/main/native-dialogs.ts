import path from 'node:path';
import type { CaseInfo } from '../../shared/domain/case.ts';
import type { ExportFormat } from '../../shared/domain/export.ts';
import type { CaseHost } from '../engine/cases/case-host.ts';

/** The part of Electron's `dialog` this module uses, bound to our window (so tests can stand in). */
export interface Dialogs {
  showOpenDialog(options: Electron.OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(options: Electron.SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
}

const CASE_FILTERS = [{ name: 'Auditscope case', extensions: ['auditscope'] }];
const EXPORT_FILTERS: Record<ExportFormat, { name: string; extensions: string[] }> = {
  csv: { name: 'CSV', extensions: ['csv'] },
  json: { name: 'JSON', extensions: ['json'] },
  ndjson: { name: 'NDJSON', extensions: ['ndjson', 'jsonl'] },
  raw: { name: 'Original records', extensions: ['log', 'ndjson', 'txt'] },
  html: { name: 'HTML report', extensions: ['html'] },
  pdf: { name: 'PDF report', extensions: ['pdf'] },
};
const LOG_FILTERS = [
  { name: 'Audit logs', extensions: ['json', 'ndjson', 'jsonl', 'csv', 'log', 'txt', 'gz'] },
  { name: 'All files', extensions: ['*'] },
];

/**
 * The desktop app's own contract calls (SHELL_CALLS): the operating system's dialogs. The path
 * the analyst picks goes straight to the engine here; the page only learns what was opened.
 */
export function nativeDialogCalls(dialogs: Dialogs, cases: CaseHost, documentsDir: string) {
  return {
    'shell.chooseCase': async (mode: 'open' | 'create'): Promise<CaseInfo | null> => {
      if (mode === 'open') {
        const picked = await dialogs.showOpenDialog({
          title: 'Open case',
          properties: ['openFile'],
          filters: CASE_FILTERS,
        });
        const [file] = picked.filePaths;
        return picked.canceled || file === undefined ? null : cases.open(file);
      }
      const picked = await dialogs.showSaveDialog({
        title: 'New case',
        buttonLabel: 'Create',
        defaultPath: path.join(documentsDir, 'Investigation.auditscope'),
        filters: CASE_FILTERS,
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      // Even where the analyst agreed to "replace" an existing file, `create` refuses to: a case
      // is evidence and is never overwritten by a new one.
      return picked.canceled || picked.filePath === undefined ? null : cases.create(picked.filePath);
    },
    'shell.chooseImport': async (kind: 'files' | 'folder'): Promise<string[]> => {
      const picked = await dialogs.showOpenDialog(
        kind === 'files'
          ? { title: 'Import audit logs', properties: ['openFile', 'multiSelections'], filters: LOG_FILTERS }
          : { title: 'Import a folder of audit logs', properties: ['openDirectory', 'multiSelections'] },
      );
      return picked.canceled ? [] : picked.filePaths;
    },
    'shell.chooseSourceFile': async (kind: 'database' | 'certificate'): Promise<string | null> => {
      const picked = await dialogs.showOpenDialog(
        kind === 'database'
          ? {
              title: 'SQLite database to read',
              properties: ['openFile'],
              filters: [
                { name: 'SQLite databases', extensions: ['sqlite', 'sqlite3', 'db', 'db3'] },
                { name: 'All files', extensions: ['*'] },
              ],
            }
          : {
              title: 'Certificate to trust for this server',
              properties: ['openFile'],
              filters: [
                { name: 'PEM certificates', extensions: ['pem', 'crt', 'cer'] },
                { name: 'All files', extensions: ['*'] },
              ],
            },
      );
      const [file] = picked.filePaths;
      return picked.canceled || file === undefined ? null : file;
    },
    'shell.chooseExportFile': async (format: ExportFormat, suggestedName: string): Promise<string | null> => {
      const filter = EXPORT_FILTERS[format];
      // The suggestion comes from the page: only its base name is used, in the documents folder.
      const base = path.basename(suggestedName).replace(/[^\w.\- ]+/g, '_') || 'auditscope-export';
      const picked = await dialogs.showSaveDialog({
        title: 'Export events',
        buttonLabel: 'Export',
        defaultPath: path.join(documentsDir, `${base}.${filter.extensions[0] ?? format}`),
        filters: [filter],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      return picked.canceled || picked.filePath === undefined ? null : picked.filePath;
    },
  };
}
