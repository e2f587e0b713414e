import { describe, expect, it } from 'vitest';
import { filesInEntries, hasFolder } from './dropped-folders.ts';

/** A stand-in for the browser's FileSystemEntry tree; the reader answers in batches of two. */
function file(fullPath: string): FileSystemEntry {
  const name = fullPath.split('/').pop() as string;
  return {
    name,
    fullPath,
    isFile: true,
    isDirectory: false,
    file: (resolve: (f: File) => void) => resolve(new File([fullPath], name)),
  } as unknown as FileSystemEntry;
}

function folder(fullPath: string, children: FileSystemEntry[]): FileSystemEntry {
  return {
    name: fullPath.split('/').pop() as string,
    fullPath,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let next = 0;
      return {
        readEntries: (resolve: (entries: FileSystemEntry[]) => void) => {
          resolve(children.slice(next, next + 2));
          next += 2;
        },
      };
    },
  } as unknown as FileSystemEntry;
}

describe('dropped folders (serve mode)', () => {
  it('finds every file under them, in path order, skipping hidden ones, past reader batches', async () => {
    const tree = folder('/AWSLogs', [
      folder('/AWSLogs/111', [
        file('/AWSLogs/111/b.json.gz'),
        file('/AWSLogs/111/a.json.gz'),
        file('/AWSLogs/111/c.json.gz'),
      ]),
      file('/AWSLogs/.DS_Store'),
      folder('/AWSLogs/.git', [file('/AWSLogs/.git/config')]),
      file('/AWSLogs/digest.json'),
    ]);
    const files = await filesInEntries([tree, file('/okta.json')]);
    expect(await Promise.all(files.map((f) => f.text()))).toEqual([
      '/AWSLogs/111/a.json.gz',
      '/AWSLogs/111/b.json.gz',
      '/AWSLogs/111/c.json.gz',
      '/AWSLogs/digest.json',
      '/okta.json',
    ]);
    expect(hasFolder([tree])).toBe(true);
    expect(hasFolder([file('/x.json')])).toBe(false);
  });
});
