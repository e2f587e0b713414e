import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { COMPRESSED, filesBeside, inodeAt, ROTATION_NAME, type DecompressedCopy } from './file-follower.ts';

/**
 * How much older than the last tail's last spool a compressed file may look and still be looked
 * in: the log folder may be a network share whose clock runs behind this machine's.
 */
const CLOCK_SLACK_MS = 10 * 60 * 1000;

/** Past this many bytes decompressed, a file is not copied (a gzip bomb would fill the case's disk). */
export const MAX_COPY_BYTES = 4 * 1024 ** 3;

/** A gzip file beside the path, as log rotation names them (app.log.2.gz, app.log-20261201.gz). */
interface RotatedGzip {
  path: string;
  name: string;
  /** The copy's name: the file's identity (an inode is given again once its file is deleted), and its name. */
  key: string;
  mtimeMs: number;
}

export interface CopiesWanted {
  /**
   * When the last tail stopped (epoch ms), given when the path was rotated or rewritten since:
   * the files compressed since then are copied. Older ones were read while a tail ran, or
   * before any did: a restart does not decompress years of archives.
   */
  since?: number;
  /**
   * The file the last tail stopped in is not beside the path uncompressed: the newest file
   * compressed before `since` is copied too (it, if nothing was written to it after the stop
   * and gzip kept its time).
   */
  stoppedInMissing?: boolean;
  /** Inodes earlier tails noted (their spools): a copy one of them was reading is kept. */
  met: ReadonlySet<number>;
}

/**
 * Decompressed copies of the gzip files rotated out beside `file`, made in `dir`, each to stand
 * in for its file (see FileFollower): logrotate's `compress` (at once, or a rotation later with
 * `delaycompress`) may compress the file a tail stopped in, or files rotated out after it, before
 * another tail starts; their lines were then lost.
 *
 * A copy is named by its file's inode, size, time and name: made once, and found again after a
 * crash, even once its file was renamed or deleted (then kept only if a tail was reading it).
 * Copies no tail needs are deleted; the others once read (`removeCopy`). A gzip file beside one
 * of the same name uncompressed is logrotate at work: the uncompressed one is read.
 */
export async function decompressedCopies(
  file: string,
  dir: string,
  wanted: CopiesWanted,
): Promise<{ copies: DecompressedCopy[]; failed: string[] }> {
  const gzips = rotatedGzips(file);
  const copies: DecompressedCopy[] = [];
  const made = new Set<string>();
  for (const name of listCopies(dir)) {
    const copy = path.join(dir, name);
    const partial = name.endsWith('.partial');
    // Its gzip file renamed since (app.log.1.gz is app.log.2.gz now): the same file, the copy
    // renamed after it.
    const gzip =
      gzips.find((g) => g.key === name) ??
      (partial ? undefined : gzips.find((g) => identity(g.key) === identity(name)));
    if (gzip && (gzip.key === name || renamed(copy, path.join(dir, gzip.key)))) made.add(gzip.key);
    else if (!partial && wanted.met.has(inodeAt(copy) ?? -1)) {
      // Its file deleted (logrotate's rotate count) while a tail that had read part of it was
      // down. It stands for no file beside the path: another may have its name by now.
      copies.push({ of: copy, name: nameIn(name), copy });
    } else removeCopy(copy);
  }
  const chosen = new Set(gzips.filter((gzip) => made.has(gzip.key)));
  if (wanted.since !== undefined) {
    const after = wanted.since - CLOCK_SLACK_MS;
    for (const gzip of gzips) if (gzip.mtimeMs >= after) chosen.add(gzip);
    const newestBefore = gzips
      .filter((gzip) => gzip.mtimeMs < after)
      .sort((a, b) => b.mtimeMs - a.mtimeMs)[0];
    if (newestBefore && wanted.stoppedInMissing) chosen.add(newestBefore);
  }
  const failed: string[] = [];
  for (const gzip of chosen) {
    const copy = path.join(dir, gzip.key);
    if (!made.has(gzip.key)) {
      const partial = `${copy}.partial`;
      try {
        mkdirSync(dir, { recursive: true });
        await pipeline(
          createReadStream(gzip.path),
          createGunzip(),
          new AtMost(MAX_COPY_BYTES),
          createWriteStream(partial),
        );
        renameSync(partial, copy);
      } catch (error) {
        removeCopy(partial);
        failed.push(`${gzip.name} (${(error as Error).message})`);
        continue;
      }
    }
    copies.push({ of: gzip.path, name: gzip.name, copy });
  }
  return { copies, failed };
}

/**
 * A copy read to its end (its lines are in spool files now), or not needed. Best effort: one a
 * scanner holds open is found again by the next tail, at its end, and deleted then.
 */
export function removeCopy(copy: string): void {
  try {
    rmSync(copy, { force: true });
  } catch {
    // Left for the next tail (see above).
  }
}

/** Passes bytes on, failing past `most` of them. */
class AtMost extends Transform {
  private left: number;
  constructor(most: number) {
    super();
    this.left = most;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.left -= chunk.length;
    if (this.left < 0) done(new Error(`more than ${MAX_COPY_BYTES / 1024 ** 3} GiB decompressed`));
    else done(null, chunk);
  }
}

function rotatedGzips(file: string): RotatedGzip[] {
  const beside = filesBeside(file);
  const names = new Set(beside.map((s) => s.name));
  return beside.flatMap(({ name, path: full, suffix, stat }) =>
    /\.gz$/i.test(suffix) &&
    ROTATION_NAME.test(suffix.replace(COMPRESSED, '')) &&
    !names.has(name.replace(COMPRESSED, ''))
      ? [
          {
            path: full,
            name,
            key: `${stat.ino}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${name}`,
            mtimeMs: stat.mtimeMs,
          },
        ]
      : [],
  );
}

/** A copy's name less the name of its file: the file's inode, size and time (see `RotatedGzip.key`). */
function identity(key: string): string {
  return key.split('-').slice(0, 3).join('-');
}

/** Renamed, unless a copy has that name already (made after the file was renamed). */
function renamed(from: string, to: string): boolean {
  if (existsSync(to)) return false;
  try {
    renameSync(from, to);
    return true;
  } catch {
    return false;
  }
}

/** The name of the file a copy was made of (see `RotatedGzip.key`). */
function nameIn(key: string): string {
  return key.split('-').slice(3).join('-');
}

function listCopies(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
