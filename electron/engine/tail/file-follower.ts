import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
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
  /** A file rotated out has been read to its end and closed: nothing more will come of it. */
  | { kind: 'finished'; inode: number };

/** Bytes before the cursor compared at each poll to notice a file rewritten from the start. */
const MARK_BYTES = 64;

/** Reads at most this much per poll, so one poll's batch stays bounded however far behind. */
const MAX_READ = 8 * 1024 * 1024;

/**
 * How long a rotated file is still read after it last grew: the application writes to it until
 * it reopens its log (logrotate's `create` mode, then a signal), and those lines count too.
 */
const ROTATED_GRACE_MS = 5000;

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
  /** The file the path named before the last rotation, still read (see ROTATED_GRACE_MS). */
  private rotatedOut: { fd: number; cursor: FileCursor; size: number; grewAt: number } | undefined;

  /**
   * `resume`: where a previous follower stopped; `fromEnd`: skip what the file holds now;
   * `rotatedOut`: where a previous follower was in a file the path no longer names (see
   * `reopenRotatedOut`).
   */
  constructor(
    file: string,
    options: { resume?: FileCursor; fromEnd?: boolean; rotatedOut?: FileCursor } = {},
  ) {
    this.path = file;
    this.open(options.resume, options.fromEnd ?? false);
    if (options.rotatedOut) this.reopenRotatedOut(options.rotatedOut);
  }

  /**
   * A file an earlier follower read, rotated out since (while no follower ran, or just before it
   * stopped): read on from where that follower was, as after a rotation seen while following,
   * if it is still beside the path under another name (logrotate's app.log.1, app.log-20261201…)
   * and still holds the bytes read last before that place (an inode is reused once its file is
   * deleted). Lines the application wrote to it meanwhile are not lost.
   */
  private reopenRotatedOut(cursor: FileCursor): void {
    if (this.cursor?.inode === cursor.inode) return;
    const dir = path.dirname(this.path);
    const base = path.basename(this.path);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name === base || !name.startsWith(base)) continue;
      let fd: number;
      try {
        fd = openSync(path.join(dir, name), 'r');
      } catch {
        continue;
      }
      const stat = fstatSync(fd);
      if (stat.isFile() && stat.ino === cursor.inode && stat.size >= cursor.offset && holdsMark(fd, cursor)) {
        const reopened = { inode: cursor.inode, offset: cursor.offset };
        this.rotatedOut = { fd, cursor: reopened, size: stat.size, grewAt: Date.now() };
        return;
      }
      closeSync(fd);
    }
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
    const events: FollowEvent[] = this.readRotatedOut(false);
    if (this.fd === undefined && !this.open(undefined, false)) return [...events, { kind: 'missing' }];
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
      // Read on while the application may still write to it; an earlier one is finished now.
      events.push(...this.readRotatedOut(true));
      this.rotatedOut = { fd, cursor, size: fstatSync(fd).size, grewAt: Date.now() };
      this.fd = undefined;
      const from = cursor.inode;
      if (this.open(undefined, false)) {
        events.push({ kind: 'rotated', from, to: (this.cursor as FileCursor).inode });
        events.push(...this.poll());
      } else events.push({ kind: 'missing' });
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
   * The lines a rotated file gained; all it holds, last line included, once it has been quiet
   * for ROTATED_GRACE_MS or when `finished` (then it is closed).
   */
  private readRotatedOut(finished: boolean): FollowEvent[] {
    const out = this.rotatedOut;
    if (!out) return [];
    const size = fstatSync(out.fd).size;
    if (size > out.size) {
      out.size = size;
      out.grewAt = Date.now();
    }
    const toEnd = finished || Date.now() - out.grewAt >= ROTATED_GRACE_MS;
    const events: FollowEvent[] = [];
    // A read a poll (MAX_READ bounds its batch), all of it when finished.
    for (
      let chunk = this.read(out.fd, out.cursor, toEnd);
      chunk;
      chunk = finished ? this.read(out.fd, out.cursor, true) : undefined
    )
      events.push({ kind: 'chunk', chunk });
    if (toEnd && out.cursor.offset >= fstatSync(out.fd).size) {
      closeSync(out.fd);
      this.rotatedOut = undefined;
      events.push({ kind: 'finished', inode: out.cursor.inode });
    }
    return events;
  }

  /** What is left to read of a rotated file, read to its end now (the tail stops). */
  finish(): FollowEvent[] {
    return this.readRotatedOut(true);
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
    if (this.rotatedOut) closeSync(this.rotatedOut.fd);
    this.rotatedOut = undefined;
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
