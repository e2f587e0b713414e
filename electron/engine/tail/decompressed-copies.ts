import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ROTATION_NAME, type DecompressedCopy } from './file-follower.ts';

/** How much older than the last tail's last spool a compressed file may look and still be looked in. */
const CLOCK_SLACK_MS = 2000;

/** A gzip file beside the path, as log rotation names them (app.log.2.gz, app.log-20261201.gz). */
interface RotatedGzip {
  path: string;
  name: string;
  /** The copy's name: the file's identity (an inode is given again once its file is deleted). */
  key: string;
  mtimeMs: number;
}

/**
 * Decompressed copies of the gzip files rotated out beside `file`, made in `dir`, each to stand
 * in for its file (see FileFollower): logrotate's `compress` (at once, or a rotation later with
 * `delaycompress`) may compress the file a tail stopped in, or files rotated out after it, before
 * another tail starts; their lines were then lost.
 *
 * `since` (epoch ms): when the last tail stopped, given when the path was rotated or rewritten
 * since; the files compressed since then are copied, and the newest one compressed before (the
 * one the tail stopped in, if nothing was written to it after the stop and gzip kept its time).
 * Older files were read while a tail ran, or before any did: a restart does not decompress years
 * of archives. Without `since`, only copies made already (by a tail that crashed before reading
 * them to their end) are given again.
 *
 * A copy is named by its file's inode, size and time: made once, and found again after a crash.
 * Copies whose file is gone are deleted; the others are deleted once read (`removeCopy`).
 */
export async function decompressedCopies(
  file: string,
  dir: string,
  since: number | undefined,
): Promise<{ copies: DecompressedCopy[]; failed: string[] }> {
  const gzips = rotatedGzips(file);
  const made = new Set(listCopies(dir));
  // Cut short (a crash while decompressing), or of a file gone: of no use.
  for (const name of made)
    if (name.endsWith('.partial') || !gzips.some((gzip) => gzip.key === name)) {
      rmSync(path.join(dir, name), { force: true });
      made.delete(name);
    }
  const wanted = new Set(gzips.filter((gzip) => made.has(gzip.key)));
  if (since !== undefined) {
    const after = since - CLOCK_SLACK_MS;
    for (const gzip of gzips) if (gzip.mtimeMs >= after) wanted.add(gzip);
    const newestBefore = gzips
      .filter((gzip) => gzip.mtimeMs < after)
      .sort((a, b) => b.mtimeMs - a.mtimeMs)[0];
    if (newestBefore) wanted.add(newestBefore);
  }
  const copies: DecompressedCopy[] = [];
  const failed: string[] = [];
  for (const gzip of wanted) {
    const copy = path.join(dir, gzip.key);
    if (!made.has(gzip.key)) {
      const partial = `${copy}.partial`;
      try {
        mkdirSync(dir, { recursive: true });
        await pipeline(createReadStream(gzip.path), createGunzip(), createWriteStream(partial));
        renameSync(partial, copy);
      } catch (error) {
        rmSync(partial, { force: true });
        failed.push(`${gzip.name} (${(error as Error).message})`);
        continue;
      }
    }
    copies.push({ of: gzip.path, copy });
  }
  return { copies, failed };
}

/** A copy read to its end: its lines are in spool files now. */
export function removeCopy(copy: string): void {
  rmSync(copy, { force: true });
}

function rotatedGzips(file: string): RotatedGzip[] {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const suffix = name.slice(base.length);
    if (!name.startsWith(base) || !/\.gz$/i.test(suffix) || !ROTATION_NAME.test(suffix.slice(0, -3)))
      return [];
    try {
      const full = path.join(dir, name);
      const stat = statSync(full);
      if (!stat.isFile()) return [];
      return [
        {
          path: full,
          name,
          key: `${stat.ino}-${stat.size}-${Math.trunc(stat.mtimeMs)}`,
          mtimeMs: stat.mtimeMs,
        },
      ];
    } catch {
      return [];
    }
  });
}

function listCopies(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
