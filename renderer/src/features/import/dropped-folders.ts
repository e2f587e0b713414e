/**
 * The files inside dropped folders, for serve mode: a browser cannot hand a folder's path to the
 * engine, so each file in it is uploaded like a dropped file. Walked recursively, hidden entries
 * skipped and in path order, as the engine itself walks folders (expand-inputs.ts).
 */
export async function filesInEntries(entries: readonly FileSystemEntry[]): Promise<File[]> {
  const found: { path: string; file: File }[] = [];
  const pending = [...entries];
  while (pending.length > 0) {
    const entry = pending.pop() as FileSystemEntry;
    if (entry.name.startsWith('.')) continue;
    if (isDirectory(entry)) pending.push(...(await readAll(entry.createReader())));
    else if (isFile(entry)) found.push({ path: entry.fullPath, file: await fileOf(entry) });
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => f.file);
}

/** True when anything dropped is a folder (only then is the walk needed). */
export function hasFolder(entries: readonly FileSystemEntry[]): boolean {
  return entries.some((entry) => entry.isDirectory);
}

function isDirectory(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}

function isFile(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

/** A directory reader answers in batches (100 in Chromium) until it answers none. */
async function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}
