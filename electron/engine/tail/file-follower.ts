import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';

/** Where a follower is: which file (by inode) and the byte after the last complete line read. */
export interface FileCursor {
  inode: number;
  offset: number;
  /** The bytes just before `offset` when it was reached (to notice a file rewritten since). */
  mark?: Buffer;
}

/** Complete lines read from one file: bytes [from, to) of the file with that inode. */
export interface FollowedChunk {
  inode: number;
  from: number;
  to: number;
  bytes: Buffer;
}

export type FollowEvent =
  | { kind: 'chunk'; chunk: FollowedChunk }
  | { kind: 'rotated'; from: number; to: number }
  | { kind: 'truncated'; inode: number; was: number; now: number }
  | { kind: 'missing' }
  /**
   * The path names a file again after it was missing: the first, when the follower started
   * without it, or the same one back. A new file after the old one was renamed away is 'rotated'.
   */
  | { kind: 'appeared'; inode: number }
  /** A file rotated out has been read to its end and closed: nothing more will come of it. */
  | { kind: 'finished'; inode: number };

/** Bytes before the cursor compared at each poll to notice a file rewritten from the start. */
const MARK_BYTES = 64;

/** The fewest bytes read last that identify a copy of the file by themselves (see `contentOf`). */
export const MIN_MARK_BYTES = 16;

/** How much of the rotated files a follower that stops reads at a time (see `finish`). */
const STOP_READ = 64 * 1024 * 1024;

/** Reads at most this much per poll, so one poll's batch stays bounded however far behind. */
const MAX_READ = 8 * 1024 * 1024;

/**
 * How long a rotated file is still read after it last grew: the application writes to it until
 * it reopens its log (logrotate's `create` mode, then a signal), and those lines count too.
 */
const ROTATED_GRACE_MS = 5000;

/** A file the path no longer names, read on until it is finished (see `readRotatedOut`). */
interface RotatedFile {
  fd: number;
  cursor: FileCursor;
  size: number;
  /** When it last grew (epoch ms): its modification time when it was found beside the path. */
  grewAt: number;
}

/** What log rotation appends to a file's name: a number, or a date or time (app.log-20261201T000000Z). */
export const ROTATION_NAME = /^[.\-_]\d[\d.\-_:TZ]*$/;

/**
 * Suffixes of files a log rotation compressed: not read as lines (see `reopenRotatedOut`), unless
 * a decompressed copy of the file is given to stand in for it (gzip: see decompressed-copies.ts).
 */
export const COMPRESSED = /\.(gz|bz2|xz|zst|lz4|z|zip)$/i;

/** A compressed file beside the path, decompressed to `copy`: read as if it were that file. */
export interface DecompressedCopy {
  /** The compressed file (app.log.2.gz), and its name (it may be gone: a copy a tail was reading). */
  of: string;
  name: string;
  copy: string;
}

/**
 * `tail -F` over one path, in polls: appends are read up to the last complete line (a line still
 * being written waits for its newline); a rotation (the path now names another file) follows the
 * new one from its start, and goes on reading the old one until it has not grown for
 * ROTATED_GRACE_MS (then to its end, last line included); a truncation (copytruncate) starts
 * again at the beginning. The path may be missing for a while.
 */
export class FileFollower {
  private fd: number | undefined;
  private cursor: FileCursor | undefined;
  /** The last bytes read (see `markStillThere`). */
  private mark: Buffer | undefined;
  private readonly path: string;
  /**
   * Files the path named before, oldest first, still read: those rotated out while this follower
   * ran (see ROTATED_GRACE_MS), and those found when it started (see `reopenRotatedOut`).
   */
  private rotatedOut: RotatedFile[] = [];
  /**
   * The files found beside the path when the follower started, and where it reads them from;
   * `known`: found by the inode and bytes of a file an earlier follower read (not a copy, nor a
   * file found by its name).
   */
  readonly foundAtStart: { inode: number; path: string; offset: number; known: boolean }[] = [];
  /** Why lines written while no follower ran may not have been read (see `reopenRotatedOut`). */
  warning: string | undefined;
  /** What the follower found when it started (a truncation while none ran), told at the first poll. */
  private seenAtStart: FollowEvent[] = [];
  private readonly copies: readonly DecompressedCopy[];
  /** The file the path named until it went missing (see `poll`). */
  private away: number | undefined;

  /**
   * `resume`: where a previous follower stopped; `fromEnd`: skip what the file holds now;
   * `rotatedOut`: where previous followers were in files the path no longer names, in the order
   * they met them, read on if still beside it (see `reopenRotatedOut`); `rotatedWhileStopped`: the
   * last of them is the file the last follower followed, rotated out while none ran; `copies`:
   * decompressed copies of compressed files beside the path, each standing in for its file.
   */
  constructor(
    file: string,
    options: {
      resume?: FileCursor;
      fromEnd?: boolean;
      rotatedOut?: readonly FileCursor[];
      rotatedWhileStopped?: boolean;
      copies?: readonly DecompressedCopy[];
    } = {},
  ) {
    this.path = file;
    this.copies = options.copies ?? [];
    this.open(options.resume, options.fromEnd ?? false);
    const { resume, rotatedOut = [] } = options;
    // Listed once: a case's tails may have met thousands of files over time.
    let listed: Sibling[] | undefined;
    const siblings = (): Sibling[] => (listed ??= this.siblings());
    rotatedOut.forEach((cursor, i) =>
      this.reopenRotatedOut(
        cursor,
        siblings,
        options.rotatedWhileStopped && i === rotatedOut.length - 1 ? 'rotated' : undefined,
      ),
    );
    if (resume && this.cursor && this.fd !== undefined && resume.inode === this.cursor.inode) {
      if (resume.offset <= fstatSync(this.fd).size && holdsMark(this.fd, resume)) return;
      // Truncated (logrotate's copytruncate) or replaced by a file given the same inode while no
      // follower ran: read from its start, and on from where the last follower was in the copy
      // beside it, if there is one.
      this.cursor.offset = 0;
      this.mark = undefined;
      this.reopenRotatedOut(resume, siblings, 'rewritten');
      this.seenAtStart.push({
        kind: 'truncated',
        inode: resume.inode,
        was: resume.offset,
        now: fstatSync(this.fd).size,
      });
    }
  }

  /**
   * A file an earlier follower read, rotated out since (while no follower ran, or just before it
   * stopped): read on from where that follower was, as after a rotation seen while following,
   * if it is still beside the path under another name (logrotate's app.log.1, app.log-20261201…)
   * and still holds the bytes read last before that place (an inode is reused once its file is
   * deleted). Lines the application wrote to it meanwhile are not lost.
   *   `stoppedIn`: the earlier follower stopped in that file, and since then the path was
   * `rotated` (perhaps more than once), or the file `rewritten` in place (truncated by
   * copytruncate, or a new file given its inode). Its content then is looked for beside the path
   * (by the bytes read last, when the inode no longer tells), and the files rotated out after it
   * (app.log.2 was ours, app.log.1 came next) are read too, from their start. A file gzip
   * compressed is looked at through its decompressed copy, if given (see `copies`). Without it
   * (deleted, compressed otherwise) there is no knowing where those lines are: `warning` says so.
   */
  private reopenRotatedOut(
    cursor: FileCursor,
    listSiblings: () => Sibling[],
    stoppedIn?: 'rotated' | 'rewritten',
  ): void {
    if (stoppedIn === undefined && this.cursor?.inode === cursor.inode) return;
    const base = path.basename(this.path);
    const siblings = listSiblings();
    // Gone by its inode: a file a crash left half read (in its grace), compressed since, is in a
    // copy, found by the bytes read last; else (deleted) there is nothing to open.
    const gone = stoppedIn === undefined && !siblings.some((s) => s.stat.ino === cursor.inode);
    const found = gone
      ? this.contentOf(
          cursor,
          siblings.filter((s) => this.copies.some((c) => c.copy === s.path)),
          true,
        )
      : this.contentOf(cursor, siblings, stoppedIn !== undefined);
    const queued = (inode: number): boolean => this.rotatedOut.some((out) => out.cursor.inode === inode);
    if (!found) {
      if (stoppedIn)
        this.warning =
          `${base} was ${stoppedIn === 'rotated' ? 'rotated' : 'truncated or replaced'} while no tail followed ` +
          `it, and what it held when the last tail stopped is no longer beside it (deleted, or compressed other than by gzip): ` +
          `lines written to it after that tail stopped, if any, and the files rotated out after it were ` +
          `not read (import them to add their events)`;
      return;
    }
    const { file: ours, fd, byInode } = found;
    // Found already (a copy found by its bytes, then by its inode as a file read before): once,
    // from the furthest place a tail reached in it (a later tail read on in the copy).
    const already = this.rotatedOut.find((out) => out.cursor.inode === ours.stat.ino);
    if (already) {
      if (cursor.offset > already.cursor.offset) {
        already.cursor.offset = cursor.offset;
        const entry = this.foundAtStart.find((f) => f.inode === ours.stat.ino);
        if (entry) {
          entry.offset = cursor.offset;
          entry.known ||= byInode;
        }
      }
      closeSync(fd);
    } else this.queueFound(ours, fd, cursor.offset, byInode);
    if (!stoppedIn) return;
    // By their names alone: the order of their modification times need not be theirs (an
    // application may write to a file for a moment after it was rotated out).
    const later = rotatedAfter(ours.suffix, siblings).filter(
      (s) => s.stat.ino !== ours.stat.ino && s.stat.ino !== this.cursor?.inode && !queued(s.stat.ino),
    );
    const compressed: string[] = [];
    for (const file of later) {
      if (COMPRESSED.test(file.name)) {
        // Beside itself uncompressed (logrotate compressing it): that one is read.
        if (!siblings.some((s) => s.name === file.name.replace(COMPRESSED, ''))) compressed.push(file.name);
        continue;
      }
      const laterFd = openIfHolds(file.path, { inode: file.stat.ino, offset: 0 });
      if (laterFd !== undefined) this.queueFound(file, laterFd, 0, false);
    }
    if (compressed.length > 0)
      this.warning = `rotated out while no tail followed ${base}, and compressed: ${compressed.join(', ')} not read (decompress and import them to add their events)`;
  }

  private queueFound(file: Sibling, fd: number, offset: number, known: boolean): void {
    const { ino: inode, size, mtimeMs } = file.stat;
    // Quiet since long before this follower started: read to its end at once, not after a grace.
    this.rotatedOut.push({ fd, cursor: { inode, offset }, size, grewAt: Math.min(Date.now(), mtimeMs) });
    this.foundAtStart.push({ inode, path: file.path, offset, known });
  }

  /**
   * The file beside the path holding what the cursor's file held at the cursor, opened: by its
   * inode and the bytes read last; else, when `byMark`, by those bytes alone (a copy: copytruncate,
   * or a file given the old one's inode), in a file named as log rotation names them first.
   */
  private contentOf(
    cursor: FileCursor,
    siblings: readonly Sibling[],
    byMark: boolean,
  ): { file: Sibling; fd: number; byInode: boolean } | undefined {
    const fits = (s: Sibling): boolean => s.stat.size >= cursor.offset && s.stat.ino !== this.cursor?.inode;
    const byInode = siblings.find((s) => fits(s) && s.stat.ino === cursor.inode);
    const byInodeFd = byInode && openIfHolds(byInode.path, cursor);
    if (byInode && byInodeFd !== undefined) return { file: byInode, fd: byInodeFd, byInode: true };
    // A few bytes alone (a spool of one short line) could be anywhere.
    if (!byMark || !cursor.mark || cursor.mark.length < MIN_MARK_BYTES) return undefined;
    // Named as rotation names them first, the newest first (a later copy holds other bytes there).
    const rotationNamed = (s: Sibling): number => (ROTATION_NAME.test(s.suffix) ? 0 : 1);
    for (const s of [...siblings]
      .filter((s) => fits(s) && !COMPRESSED.test(s.name))
      .sort((a, b) => rotationNamed(a) - rotationNamed(b) || b.stat.mtimeMs - a.stat.mtimeMs)) {
      const fd = openIfHolds(s.path, { ...cursor, inode: s.stat.ino });
      if (fd !== undefined) return { file: s, fd, byInode: false };
    }
    return undefined;
  }

  /**
   * The regular files beside the path whose names begin with its name (its rotated-out ones); a
   * compressed one with a decompressed copy given is that copy, named as before it was compressed.
   */
  private siblings(): Sibling[] {
    const base = path.basename(this.path);
    const listed = filesBeside(this.path);
    const strip = (name: string): string => name.replace(COMPRESSED, '');
    const asCopy = (copy: DecompressedCopy): Sibling[] => {
      try {
        const name = strip(copy.name);
        return [{ name, path: copy.copy, suffix: name.slice(base.length), stat: statSync(copy.copy) }];
      } catch {
        return [];
      }
    };
    return [
      ...listed.flatMap((sibling) => {
        const copy = this.copies.find((c) => c.of === sibling.path);
        return copy ? asCopy(copy) : [sibling];
      }),
      // Its file gone since: still read on where a tail left it.
      ...this.copies.filter((c) => !listed.some((s) => s.path === c.of)).flatMap(asCopy),
    ];
  }

  /** The position to resume from: every byte before it has been handed out. */
  position(): FileCursor | undefined {
    return this.cursor && { inode: this.cursor.inode, offset: this.cursor.offset };
  }

  private open(resume: FileCursor | undefined, fromEnd: boolean): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    const stat = fstatSync(fd);
    this.fd = fd;
    this.mark = undefined;
    const offset =
      resume && resume.inode === stat.ino && resume.offset <= stat.size
        ? resume.offset
        : fromEnd
          ? stat.size
          : 0;
    this.cursor = { inode: stat.ino, offset };
    if (resume && offset === resume.offset && resume.mark) this.mark = resume.mark;
    return true;
  }

  /** What happened since the last poll, in order. */
  poll(): FollowEvent[] {
    // The file that went missing is back under the path (moved away and back, perhaps rewritten
    // in place meanwhile): read again from its start below, no longer among the rotated files,
    // whose reader would read its new bytes from the old place.
    if (this.fd === undefined && this.away !== undefined && inodeAt(this.path) === this.away) {
      const back = this.rotatedOut.findIndex((out) => out.cursor.inode === this.away);
      if (back >= 0) closeSync((this.rotatedOut.splice(back, 1)[0] as RotatedFile).fd);
    }
    const events: FollowEvent[] = [...this.seenAtStart, ...this.readRotatedOut(false)];
    this.seenAtStart = [];
    if (this.fd === undefined) {
      if (!this.open(undefined, false)) return [...events, { kind: 'missing' }];
      const cursor = this.cursor as FileCursor;
      const away = this.away;
      this.away = undefined;
      // Renamed away, and a new file given the name later: a rotation all the same. (The same
      // file back is read again from its start, see above: the case keeps each event once.)
      if (away !== undefined && away !== cursor.inode)
        events.push({ kind: 'rotated', from: away, to: cursor.inode });
      else events.push({ kind: 'appeared', inode: cursor.inode });
    }
    const fd = this.fd as number;
    const cursor = this.cursor as FileCursor;
    const size = fstatSync(fd).size;
    if (size < cursor.offset || !this.markStillThere(fd, cursor)) {
      events.push({ kind: 'truncated', inode: cursor.inode, was: cursor.offset, now: size });
      cursor.offset = 0;
      this.mark = undefined;
    }
    const rotated = this.rotated(cursor.inode);
    const chunk = this.read(fd, cursor, false);
    if (chunk) {
      events.push({ kind: 'chunk', chunk });
      this.mark = Buffer.from(chunk.bytes.subarray(Math.max(0, chunk.bytes.length - MARK_BYTES)));
    }
    if (rotated) {
      // Read on while the application may still write to it.
      this.rotatedOut.push({ fd, cursor, size: fstatSync(fd).size, grewAt: Date.now() });
      this.fd = undefined;
      const from = cursor.inode;
      if (this.open(undefined, false)) {
        events.push({ kind: 'rotated', from, to: (this.cursor as FileCursor).inode });
        events.push(...this.poll());
      } else {
        this.away = from;
        events.push({ kind: 'missing' });
      }
    }
    return events;
  }

  private rotated(inode: number): boolean {
    try {
      return statSync(this.path).ino !== inode;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
      throw error;
    }
  }

  private read(fd: number, cursor: FileCursor, toEnd: boolean): FollowedChunk | undefined {
    const size = fstatSync(fd).size;
    const length = Math.min(size - cursor.offset, MAX_READ);
    if (length <= 0) return undefined;
    const buffer = Buffer.allocUnsafe(length);
    const read = readSync(fd, buffer, 0, length, cursor.offset);
    const bytes = buffer.subarray(0, read);
    const lastNewline = bytes.lastIndexOf(0x0a);
    // Complete lines only, unless this is all the file will ever hold, or one line is longer than
    // a whole read (it is handed on as it is, to be rejected as too long rather than stall).
    const end =
      (toEnd && cursor.offset + read >= size) || (lastNewline < 0 && read === MAX_READ)
        ? read
        : lastNewline + 1;
    if (end <= 0) return undefined;
    const chunk = {
      inode: cursor.inode,
      from: cursor.offset,
      to: cursor.offset + end,
      bytes: bytes.subarray(0, end),
    };
    cursor.offset += end;
    return chunk;
  }

  /**
   * The lines the rotated files gained, oldest file first, a read a poll of each (MAX_READ bounds
   * its batch): each one's first lines come before those of a later one (see `resumePoints`); all
   * a file holds, last line included, once it has been quiet for ROTATED_GRACE_MS (then it is
   * closed), or all of every one when `finished`.
   */
  private readRotatedOut(finished: boolean): FollowEvent[] {
    const events: FollowEvent[] = [];
    let budget = STOP_READ;
    for (const out of [...this.rotatedOut]) {
      if (finished && budget <= 0) break;
      const size = fstatSync(out.fd).size;
      if (size > out.size) {
        out.size = size;
        out.grewAt = Date.now();
      }
      const toEnd = finished || Date.now() - out.grewAt >= ROTATED_GRACE_MS;
      for (
        let chunk = this.read(out.fd, out.cursor, toEnd);
        chunk;
        chunk = finished && budget > 0 ? this.read(out.fd, out.cursor, true) : undefined
      ) {
        events.push({ kind: 'chunk', chunk });
        budget -= chunk.bytes.length;
      }
      if (!(toEnd && out.cursor.offset >= fstatSync(out.fd).size)) continue;
      closeSync(out.fd);
      this.rotatedOut.splice(this.rotatedOut.indexOf(out), 1);
      events.push({ kind: 'finished', inode: out.cursor.inode });
    }
    return events;
  }

  /**
   * What is left to read of the rotated files, read to their ends (the tail stops): STOP_READ at a
   * time, to be stored before the next, until `rotatedOutLeft` is false.
   */
  finish(): FollowEvent[] {
    return this.readRotatedOut(true);
  }

  /** Whether a rotated file is still being read (see `finish`). */
  rotatedOutLeft(): boolean {
    return this.rotatedOut.length > 0;
  }

  /**
   * True when the bytes just before the cursor are still the ones read there. A truncated file
   * that has grown past the old position since (copytruncate, then a burst of writes) has other
   * bytes there: its size alone would not tell.
   */
  private markStillThere(fd: number, cursor: FileCursor): boolean {
    return holdsMark(fd, { ...cursor, ...(this.mark ? { mark: this.mark } : {}) });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    for (const out of this.rotatedOut) closeSync(out.fd);
    this.rotatedOut = [];
  }
}

/** Whether the file holds the cursor's mark just before its offset (true without a mark). */
function holdsMark(fd: number, cursor: FileCursor): boolean {
  const mark = cursor.mark;
  if (!mark || mark.length === 0 || cursor.offset < mark.length) return true;
  const now = Buffer.alloc(mark.length);
  const read = readSync(fd, now, 0, mark.length, cursor.offset - mark.length);
  return read === mark.length && now.equals(mark);
}

/** A file beside the followed path whose name begins with the path's (app.log.1 beside app.log). */
export interface Sibling {
  name: string;
  path: string;
  /** What its name adds to the path's (`.1`, `-20261201.gz`). */
  suffix: string;
  stat: Stats;
}

/** The inode of the file at `file`, if there is one. */
export function inodeAt(file: string): number | undefined {
  try {
    return statSync(file).ino;
  } catch {
    return undefined;
  }
}

/** Whether `file` is still the cursor's file (by inode), holding the cursor's mark before its offset. */
export function stillHolds(file: string, cursor: FileCursor): boolean {
  const fd = openIfHolds(file, cursor);
  if (fd === undefined) return false;
  try {
    return fstatSync(fd).size >= cursor.offset;
  } finally {
    closeSync(fd);
  }
}

/** The regular files beside `file` whose names begin with its name (its rotated-out ones). */
export function filesBeside(file: string): Sibling[] {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    if (name === base || !name.startsWith(base)) return [];
    try {
      const full = path.join(dir, name);
      const stat = statSync(full);
      return stat.isFile() ? [{ name, path: full, suffix: name.slice(base.length), stat }] : [];
    } catch {
      return [];
    }
  });
}

/** The file opened, if it still holds the cursor's mark (else undefined). */
function openIfHolds(file: string, cursor: FileCursor): number | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  if (fstatSync(fd).ino === cursor.inode && holdsMark(fd, cursor)) return fd;
  closeSync(fd);
  return undefined;
}

/**
 * The files rotated out after the one with this suffix, oldest first, by the names log rotation
 * gives: numbered (app.log.2 is older than app.log.1: those numbered below it), else dated
 * (app.log-20261201: those of the same shape sorting after it). Other names beside the path (a
 * copy, a backup) are not rotations of it.
 */
function rotatedAfter(suffix: string, siblings: readonly Sibling[]): Sibling[] {
  const stripped = (s: Sibling): string => s.suffix.replace(COMPRESSED, '');
  // Numbers past three digits are dates or times (app.log-20261201, app.log-1796154533).
  const numbered = /^([.\-_])(\d{1,3})$/.exec(suffix);
  if (numbered) {
    const [, separator, number] = numbered;
    return siblings
      .map((s) => ({ s, match: /^([.\-_])(\d{1,3})$/.exec(stripped(s)) }))
      .filter(({ match }) => match && match[1] === separator && Number(match[2]) < Number(number))
      .sort((a, b) => Number(b.match?.[2]) - Number(a.match?.[2]))
      .map(({ s }) => s);
  }
  if (!ROTATION_NAME.test(suffix)) return [];
  const shape = (text: string): string => text.replace(/\d/g, '0');
  return siblings
    .filter((s) => shape(stripped(s)) === shape(suffix) && stripped(s) > suffix)
    .sort((a, b) => (stripped(a) < stripped(b) ? -1 : 1));
}
