import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import type { VerifyReport } from '../../../shared/domain/journal.ts';
import { hasTable, openCaseForReading } from '../store/case-db.ts';
import { verifyJournal } from '../store/journal.ts';

/**
 * Re-checks a case: its journal's hash chain, and the SHA-256 recorded for every input file that
 * is still where it was imported from (a moved file is "missing", which is no proof of change).
 * Opens the file read-only; never changes it.
 */
export async function verifyCase(file: string, options: { inputs?: boolean } = {}): Promise<VerifyReport> {
  const db = openCaseForReading(file);
  let journal: VerifyReport['journal'];
  let imports: { id: number; path: string; sha256: string | null }[];
  try {
    journal = hasTable(db, 'journal') ? verifyJournal(db) : { entries: 0, head: null, broken: null };
    imports = db.prepare('SELECT id, path, sha256 FROM imports ORDER BY id').all() as typeof imports;
  } finally {
    db.close();
  }
  const inputs: VerifyReport['inputs'] = [];
  if (options.inputs !== false) {
    for (const { id, path, sha256 } of imports) {
      const state =
        sha256 === null
          ? 'unhashed'
          : !existsSync(path)
            ? 'missing'
            : (await fileSha256(path)) === sha256
              ? 'match'
              : 'changed';
      inputs.push({ importId: id, path, sha256, state });
    }
  }
  return { journal, inputs, ok: journal.broken === null && inputs.every((i) => i.state !== 'changed') };
}

async function fileSha256(file: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}
