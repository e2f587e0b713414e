import path from 'node:path';
import { CASE_EXTENSION } from '../engine/cases/case-host.ts';

/**
 * The case file a launch names, resolved against the directory it was launched from: the first
 * argument ending in .auditscope (any letter case) that is not a switch. Looked for by name
 * rather than by position because Electron's argv holds the executable, in development the app's
 * folder, and in a second instance's argv the switches Chromium added.
 */
export function caseFileInArgs(argv: readonly string[], cwd: string): string | undefined {
  const named = argv.find((arg) => !arg.startsWith('-') && arg.toLowerCase().endsWith(CASE_EXTENSION));
  return named === undefined ? undefined : path.resolve(cwd, named);
}
