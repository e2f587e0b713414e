import { existsSync } from 'node:fs';
import { CaseSession } from '../../engine/case-session.ts';
import { CliError } from '../cli-error.ts';

/** Opens a case that must already exist (query and stats never create one by accident). */
export async function openExistingCase(path: string): Promise<CaseSession> {
  if (!existsSync(path)) throw new CliError(`no case file at ${path}`);
  return CaseSession.open(path, { readOnly: true });
}
