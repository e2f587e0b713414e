import { CaseSession } from '../case-session.ts';
import { existingCaseFile } from './case-host.ts';

export interface StartupCase {
  session: CaseSession;
  /** Why a case the launch asked for, or the last one, did not open: shown to the analyst. */
  problems: string[];
}

/**
 * The case the desktop app opens on: the one the launch names (command line, the OS opening a
 * case file), else the case that was open last, even if the app crashed with it open (SQLite
 * recovers its journal on open), else the demo case. A case that cannot be opened (moved,
 * damaged, not a case) is reported and skipped, never created and never allowed to stop the app
 * from starting.
 */
export async function openStartupCase(options: {
  requested?: string | undefined;
  recent: readonly string[];
  openDemo: () => Promise<CaseSession>;
}): Promise<StartupCase> {
  const problems: string[] = [];
  const candidates = [options.requested, options.recent[0]].filter((c): c is string => c !== undefined);
  for (const candidate of new Set(candidates)) {
    try {
      return { session: await CaseSession.open(existingCaseFile(candidate)), problems };
    } catch (error) {
      // The last case silently gone (moved, deleted) is no news; a named one failing is.
      if (candidate === options.requested || problems.length > 0 || !isMissing(error)) {
        problems.push(`Could not open ${candidate}: ${(error as Error).message}`);
      }
    }
  }
  return { session: await options.openDemo(), problems };
}

function isMissing(error: unknown): boolean {
  return (error as Error).message.startsWith('no case file at');
}
