import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASE_EXTENSION } from '../engine/cases/case-host.ts';

/**
 * The case file a launch names, resolved against the directory it was launched from: the first
 * argument ending in .auditscope (any letter case) that is not a switch, as a path or a file URL. Looked for by name
 * rather than by position because Electron's argv holds the executable, in development the app's
 * folder, and in a second instance's argv the switches Chromium added.
 */
export function caseFileInArgs(argv: readonly string[], cwd: string): string | undefined {
  for (const arg of argv) {
    if (arg.startsWith('-')) continue;
    // Linux file managers launch the .desktop entry's `%U` with file:// URLs, percent-encoded.
    const file = arg.startsWith('file://') ? fileUrlPath(arg) : arg;
    if (file?.toLowerCase().endsWith(CASE_EXTENSION)) return path.resolve(cwd, file);
  }
  return undefined;
}

function fileUrlPath(url: string): string | undefined {
  try {
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}
