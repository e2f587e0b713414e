import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export class InputError extends Error {}

/**
 * The files behind the paths a user named: files as given, folders walked recursively (a
 * CloudTrail `AWSLogs/` tree), hidden entries skipped, in a stable sorted order.
 */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch {
      throw new InputError(`${input}: no such file or folder`);
    }
    if (info.isFile()) files.push(path.resolve(input));
    else if (info.isDirectory()) files.push(...(await walk(path.resolve(input))));
    else throw new InputError(`${input}: not a regular file or folder`);
  }
  return files;
}

async function walk(folder: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [folder];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      // Links are followed to files only: a linked folder could loop back on itself.
      const isFile =
        entry.isFile() || (entry.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isFile());
      if (entry.isDirectory()) pending.push(full);
      else if (isFile) found.push(full);
    }
  }
  return found.sort();
}
