import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Small settings files in the user's data folder (recent cases, window placement): conveniences,
 * never evidence. Reading a missing or damaged one gives undefined; writing goes aside and is
 * renamed into place, so a crash never leaves half a file; a read-only folder costs the setting,
 * never the case.
 */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export function writeJsonFile(file: string, value: unknown): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(temporary, file);
  } catch {
    // See above: the setting is lost, nothing else.
  }
}
