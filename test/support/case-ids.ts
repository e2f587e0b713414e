// What a tail test compares a case with: the event ids a one-shot import of the same lines stores.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { openCaseForReading } from '../../electron/engine/store/case-db.ts';
import type { tempDir } from './temp-case.ts';

/** A file's non-blank lines, each with its newline: what tests append to a followed file. */
export const linesOf = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `${l}\n`);

/** Event ids of a case, and how many rows hold them. */
export function idsOf(casePath: string): { ids: string[]; rows: number } {
  const db = openCaseForReading(casePath);
  try {
    const ids = db.prepare('SELECT event_id FROM events ORDER BY event_id').pluck().all() as string[];
    return { ids, rows: ids.length };
  } finally {
    db.close();
  }
}

/** What a one-shot import of these bytes stores (files in `temp`, named after `name`). */
export async function batchIds(
  temp: ReturnType<typeof tempDir>,
  name: string,
  text: string,
): Promise<string[]> {
  const file = temp.file(`${name}-all${path.extname(name) || '.log'}`);
  writeFileSync(file, text);
  const session = await CaseSession.open(temp.file(`${name}-batch.auditscope`));
  await session.import([file]);
  await session.close();
  return idsOf(session.path).ids;
}
