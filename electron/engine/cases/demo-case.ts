import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CaseSession } from '../case-session.ts';

/**
 * Opens the demo case at `casePath`, building it first from the bundled sample logs in `demoDir`
 * when it does not exist yet. It is built under a temporary name and renamed when complete, so an
 * interrupted first launch never leaves a half demo behind.
 */
export async function openDemoCase(casePath: string, demoDir: string): Promise<CaseSession> {
  if (!existsSync(casePath)) {
    mkdirSync(path.dirname(casePath), { recursive: true });
    const building = `${casePath}.building`;
    removeCaseFiles(building);
    const session = await CaseSession.open(building);
    try {
      await session.import([demoDir]);
      await session.buildFreeTextIndex();
    } finally {
      await session.close();
    }
    renameSync(building, casePath);
  }
  return CaseSession.open(casePath);
}

function removeCaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}
