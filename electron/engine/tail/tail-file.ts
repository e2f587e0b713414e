import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ImportSummary } from '../../../shared/domain/import.ts';
import type { TailStatus } from '../../../shared/domain/tail.ts';
import type { CaseSession } from '../case-session.ts';
import type { FormatId } from '../ingest/types.ts';
import {
  COMPRESSED,
  FileFollower,
  filesBeside,
  inodeAt,
  MIN_MARK_BYTES,
  stillHolds,
  type DecompressedCopy,
  type FileCursor,
  type FollowEvent,
  type Sibling,
} from './file-follower.ts';
import { decompressedCopies, removeCopy } from './decompressed-copies.ts';
import { sniffStream, type ContainerInfo } from '../ingest/record-stream.ts';
import { writeDurably } from './durable-write.ts';
import { backoffDelay } from './backoff.ts';
import { HashingFileReader } from '../ingest/read-file.ts';
import { CsvRowSplitter } from '../ingest/containers/csv-row-splitter.ts';

export type { TailStatus };

/**
 * How long a CSV record whose quote is still open waits for its next lines on a quiet file: a
 * writer that buffers its output may stop inside the quotes for a moment, but not for seconds.
 */
const OPEN_RECORD_MS = 5000;

/** Unrecognized lines held before the file's format is known, at most (see FileTail.unrecognized). */
const HELD_BYTES = 1024 * 1024;

/** Delays before storing again a batch the case could not store (full jitter, as table tails reconnect). */
const RETRY_BASE_MS = 500;
const RETRY_CAP_MS = 30_000;

/** A batch the case could not store (a full disk, a file locked by another program): kept for later. */
class BatchNotStored extends Error {}

/** auditd writes one event as several lines sharing `msg=audit(<time>:<serial>)`. */
const AUDITD_SERIAL = /msg=audit\(\d+(?:\.\d+)?:(\d+)\)/;

/**
 * Follows a log file into a case, `tail -F` style, through the same import path as a file import
 * (format recognition, normalizers, counted rejects, journal, free-text index). Each batch of
 * complete lines is first written beside the case (`<case>.tail/<file>.<inode>.<from>-<to>`,
 * the bytes exactly as read: the evidence copy the import records and hashes), then imported. The
 * spool names are the cursor: a tail resumes after the last batch whose import completed, and
 * imports again a batch that was written but not imported (events are idempotent by id), so
 * nothing is lost across a crash and nothing is stored twice.
 */
export class FileTail {
  readonly status: TailStatus;
  private readonly session: CaseSession;
  private readonly follower: FileFollower;
  private readonly spoolDir: string;
  private readonly pollMs: number;
  private format: FormatId | undefined;
  /**
   * CSV: each file's header line (by inode: a file rotated out may still get lines while the new
   * one, perhaps with another header, is read), put before its later batches so each one reads
   * on its own.
   */
  private readonly headers = new Map<number, Buffer>();
  /** The file's layout (from its first bytes, else its first recognized batch): every batch is read so. */
  private container: ContainerInfo | undefined;
  /**
   * Batches recognized as no audit log while the file's format is not known yet (a banner, a
   * warning before the first event): held, and stored once a later batch tells the format, their
   * lines then counted rejects. Past HELD_BYTES of them the file is not one to follow.
   */
  private unrecognized: { files: string[]; bytes: number } = { files: [], bytes: 0 };
  /** Spooled batches the case could not store yet, in order: stored again before new ones. */
  private unstored: string[] = [];
  /**
   * Trailing lines of each file (by inode) held for the next poll: auditd, an event that may
   * still be getting lines (handed on when a poll finds nothing new); CSV, a record whose quoted
   * field spans lines and is still open (handed on when the next lines close it; past
   * `openRecordMs` on a quiet file, or past HELD_BYTES, its quote is taken for a stray one that
   * must not hold the file back). Both when their file is finished (rotated out, read to its
   * end) or truncated, and when the tail stops: what was read is stored, even half a record (a
   * reject), rather than left to a file that may be gone when a tail follows it again.
   */
  private readonly held = new Map<number, { from: number; bytes: Buffer; since: number }>();
  /** How long an open CSV record waits on a quiet file (see `held`). */
  private readonly openRecordMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly listeners = new Set<(status: TailStatus, batch?: ImportSummary) => void>();
  /** Orders the spool files of this tail after those of earlier tails of the same file. */
  private spoolSequence = Date.now() * 1000;
  /** The last spool written was the note of this file met (see `markMet`). */
  private lastNoted: { inode: number; offset: number } | undefined;
  /** Decompressed copies being read, by inode: deleted once read to their end. */
  private readonly copies = new Map<number, string>();

  private constructor(
    session: CaseSession,
    file: string,
    earlier: {
      resume: FileCursor | undefined;
      rotatedOut: FileCursor[];
      rotatedWhileStopped: boolean;
      copies: DecompressedCopy[];
    },
    options: TailOptions,
  ) {
    this.session = session;
    this.spoolDir = `${session.path}.tail`;
    this.pollMs = options.pollMs ?? 250;
    this.openRecordMs = options.openRecordMs ?? OPEN_RECORD_MS;
    this.format = options.format;
    const { resume, rotatedOut, rotatedWhileStopped, copies } = earlier;
    this.follower = new FileFollower(file, {
      ...(resume ? { resume } : {}),
      rotatedOut,
      rotatedWhileStopped,
      copies,
      fromEnd: options.fromEnd === true && !resume,
    });
    // Copies the follower reads are deleted once read; the others are of no use.
    for (const { copy } of copies) {
      const found = this.follower.foundAtStart.find((f) => f.path === copy);
      if (found) this.copies.set(found.inode, copy);
      else removeCopy(copy);
    }
    this.status = {
      path: file,
      kind: 'file',
      state: 'following',
      events: 0,
      duplicates: 0,
      rejected: 0,
      bytes: 0,
      rotations: 0,
      truncations: 0,
      ...(this.follower.warning ? { warning: this.follower.warning } : {}),
    };
  }

  /**
   * Starts following `file` into the session's case: after the last batch an earlier tail of the
   * same file stored (its unimported batches imported first), else from the start of the file
   * (or its end, with `fromEnd`).
   */
  static async start(session: CaseSession, file: string, options: TailOptions = {}): Promise<FileTail> {
    const absolute = path.resolve(file);
    const spoolDir = `${session.path}.tail`;
    const imported = await session.importedPaths();
    const pending: string[] = [];
    const spools = spoolsOf(spoolDir, absolute);
    // Those of no range (from = to) only say a file was met (see `markMet`): nothing to store.
    for (const spool of spools)
      if (spool.to > spool.from && !imported.has(spool.path)) pending.push(spool.path);
    // The last bytes stored: if the file no longer has them there, it was rewritten meanwhile.
    const cursorAt = (spool: Spool): FileCursor => ({
      inode: spool.inode,
      offset: spool.to,
      mark: spoolTail(spool),
    });
    const copiesDir = path.join(spoolDir, 'decompressed', spoolPrefix(absolute).slice(0, -1));
    const met = new Set(spools.map((spool) => spool.inode));
    const stoppedAt = lastWritten(spools);
    // Rotated or rewritten while no tail ran: the files logrotate compressed since may hold lines
    // no tail read (see decompressedCopies). Looked at again if the path is rotated meanwhile
    // (decompressing takes a while): what the follower is given must be what the path is then.
    let current: number | undefined;
    let points: ReturnType<typeof resumePoints>;
    let resume: FileCursor | undefined;
    let decompressed: Awaited<ReturnType<typeof decompressedCopies>>;
    for (let look = 0; ; look++) {
      current = inodeAt(absolute);
      points = resumePoints(spools, current);
      resume = points.resume && cursorAt(points.resume);
      const rewritten = resume !== undefined && resume.inode === current && !stillHolds(absolute, resume);
      const stoppedIn = resume;
      const siblings = filesBeside(absolute);
      // A file rotated out that the last tail may not have read to its end (read from near its
      // stop: a crash within the file's grace), gone by its name since.
      const beside = new Set(siblings.map((s) => s.stat.ino));
      const halfReadGone = points.rotatedOut.some(
        (spool) =>
          !beside.has(spool.inode) &&
          stoppedAt !== undefined &&
          (lastWritten([spool]) ?? 0) >= stoppedAt - HALF_READ_MS,
      );
      decompressed = await decompressedCopies(
        absolute,
        copiesDir,
        points.rotatedWhileStopped || rewritten || halfReadGone
          ? {
              since: stoppedAt,
              // A half-read file gone is looked for in the newest gzip from before too.
              stoppedInMissing:
                halfReadGone ||
                stoppedIn === undefined ||
                !stoppedInBeside(current, siblings, stoppedIn, rewritten),
              met,
            }
          : { met },
      );
      if (inodeAt(absolute) === current || look === 2) break;
    }
    const { copies, failed } = decompressed;
    const tail = new FileTail(
      session,
      absolute,
      {
        resume,
        rotatedOut: points.rotatedOut.map(cursorAt),
        rotatedWhileStopped: points.rotatedWhileStopped,
        copies,
      },
      options,
    );
    if (failed.length > 0)
      tail.status.warning = [tail.status.warning, `could not decompress ${failed.join(', ')}`]
        .filter(Boolean)
        .join('; ');
    try {
      await tail.learnLayout();
      // The new file may be empty yet (or missing): the last batch read tells the layout then.
      const lastSpool = spools.findLast((spool) => spool.to > spool.from)?.path;
      if (!tail.container && lastSpool) tail.container = await layoutOf(lastSpool);
      // CSV files found beside the path, read on past their header (see FileFollower): theirs.
      if (tail.container?.kind === 'csv')
        for (const found of tail.follower.foundAtStart) {
          const header = found.offset > 0 ? firstLine(readHead(found.path)) : undefined;
          if (header) tail.headers.set(found.inode, header);
        }
      // Met now, before any of them is read: the files found beside the path (older) that no tail
      // read before, then the path's file unless the last tail was in it and it is read on.
      for (const found of tail.follower.foundAtStart)
        if (!found.known) tail.markMet(found.inode, found.offset, found.path);
      const position = tail.follower.position();
      const readOn = points.resume?.inode === position?.inode && points.resume?.to === position?.offset;
      if (position && !readOn) tail.markMet(position.inode, position.offset, absolute);
    } catch (error) {
      tail.follower.close();
      for (const copy of tail.copies.values()) removeCopy(copy);
      throw error;
    }
    if (pending.length > 0)
      await tail.importBatches(pending).catch((error: unknown) => tail.retryLater(error));
    tail.schedule();
    return tail;
  }

  /**
   * How the file is laid out, from its first bytes, before any batch is read: a CSV tail that
   * starts past the header (from the end, or resumed) still needs the header for every batch, and
   * auditd events must be held whole from the first batch on.
   */
  private async learnLayout(): Promise<void> {
    if (!existsSync(this.status.path) || statSync(this.status.path).size === 0) return;
    this.container = await layoutOf(this.status.path);
    const header = this.container?.kind === 'csv' ? firstLine(readHead(this.status.path)) : undefined;
    if (header) this.headers.set(statSync(this.status.path).ino, header);
  }

  onUpdate(listener: (status: TailStatus, batch?: ImportSummary) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The next poll: right away when the last one stored something (while the file grows faster
   * than a poll's import, sleeping between them would only let the backlog grow), after `pollMs`
   * when it found nothing new.
   */
  private schedule(busy = false): void {
    // 0: polled by the caller (`step`), as tests and benchmarks do.
    if (this.stopped || this.pollMs <= 0) return;
    this.timer = setTimeout(
      () => {
        const step = this.step();
        this.running = step.then(() => undefined);
        void step.then((stored) => this.schedule(stored));
      },
      busy ? 0 : this.pollMs,
    );
  }

  /** One poll: read what the file gained, store it, tell the listeners. Says whether it stored any. */
  async step(): Promise<boolean> {
    if (this.stopped) return false;
    if (this.status.retryAt !== undefined && Date.now() < this.status.retryAt) return false;
    try {
      if (this.unstored.length > 0) {
        const unstored = this.unstored;
        this.unstored = [];
        await this.importBatches(unstored);
      }
      delete this.status.attempt;
      delete this.status.retryAt;
      const events = this.follower.poll();
      const batches = this.batches(events);
      this.status.state = events.some((e) => e.kind === 'missing') ? 'waiting for the file' : 'following';
      if (batches.length > 0) await this.importBatches(batches);
      else this.emit();
      return batches.length > 0;
    } catch (error) {
      this.retryLater(error);
      return false;
    }
  }

  /**
   * After a failure: a batch the case could not store is tried again after a growing, jittered
   * delay (what was read is in its spool file meanwhile); anything else ends the tail.
   */
  private retryLater(error: unknown): void {
    this.status.error = (error as Error).message;
    if (error instanceof BatchNotStored) {
      const attempt = this.status.attempt ?? 0;
      this.status.state = 'retrying';
      this.status.attempt = attempt + 1;
      this.status.retryAt = Date.now() + backoffDelay(attempt, RETRY_BASE_MS, RETRY_CAP_MS, Math.random);
    } else {
      this.status.state = 'failed';
      this.stopped = true;
    }
    this.emit();
  }

  /** Writes the complete lines of this poll to spool files, in order; returns their paths. */
  private batches(events: FollowEvent[]): string[] {
    const written: string[] = [];
    let idle = true;
    for (const event of events) {
      if (event.kind === 'rotated') {
        // The file rotated out is read on (see FileFollower): what it holds back stays held.
        this.status.rotations++;
        // A new file, though its inode may be one a file met before had: its own header.
        this.headers.delete(event.to);
        this.markMet(event.to, 0);
      } else if (event.kind === 'appeared') {
        this.headers.delete(event.inode);
        this.markMet(event.inode, 0);
      } else if (event.kind === 'finished') {
        written.push(...this.flushHeld(event.inode));
        // Its lines are in spool files now (written before this poll's import).
        const copy = this.copies.get(event.inode);
        if (copy !== undefined) {
          removeCopy(copy);
          this.copies.delete(event.inode);
        }
      } else if (event.kind === 'truncated') {
        this.status.truncations++;
        // The held lines were read before the file was emptied: they are stored, not dropped.
        written.push(...this.flushHeld(event.inode));
        // Written again from the start: its header too (an upgrade may have added a column).
        this.headers.delete(event.inode);
      } else if (event.kind === 'chunk') {
        idle = false;
        const { inode, from, to } = event.chunk;
        let bytes = event.chunk.bytes;
        let start = from;
        this.status.bytes += bytes.length;
        const held = this.held.get(inode);
        let since = Date.now();
        if (held && held.from + held.bytes.length === from) {
          bytes = Buffer.concat([held.bytes, bytes]);
          start = held.from;
          since = held.since;
          this.held.delete(inode);
        } else written.push(...this.flushHeld(inode));
        const keep = this.heldTail(bytes);
        // Still the same record when it began where the held one did.
        if (keep > 0)
          this.held.set(inode, {
            from: to - keep,
            bytes: bytes.subarray(bytes.length - keep),
            since: to - keep === start ? since : Date.now(),
          });
        if (bytes.length - keep > 0)
          written.push(this.spool(inode, start, to - keep, bytes.subarray(0, bytes.length - keep)));
      }
    }
    // A quiet poll: an auditd event held has all its lines; an open CSV record, once it waited
    // `openRecordMs` (a writer that buffers may have stopped inside its quotes for a moment).
    if (idle) {
      const now = Date.now();
      for (const [inode, held] of [...this.held])
        if (this.container?.kind !== 'csv' || now - held.since >= this.openRecordMs)
          written.push(...this.flushHeld(inode));
    }
    return written;
  }

  /** How many trailing bytes of a batch to hold for the next poll (see `held`). */
  private heldTail(bytes: Buffer): number {
    if (this.container?.kind === 'auditd') return auditdTail(bytes);
    if (this.container?.kind !== 'csv') return 0;
    const open = openCsvRecordTail(bytes, this.container.delimiter ?? ',');
    // A quote that never closes (a malformed line) must not hold the file back: past this, the
    // bytes go on, and the import counts the record a reject.
    return open > HELD_BYTES ? 0 : open;
  }

  /** Spools what is held, of one file or of all. */
  private flushHeld(inode?: number): string[] {
    const written: string[] = [];
    for (const [file, held] of [...this.held]) {
      if (inode !== undefined && file !== inode) continue;
      this.held.delete(file);
      written.push(this.spool(file, held.from, held.from + held.bytes.length, held.bytes));
    }
    return written;
  }

  /**
   * Says in a spool of no range (from = to) that a file was met, before anything of it is stored:
   * a file still empty when the tail stops is then known as the one it followed (see
   * `resumePoints`).
   */
  private markMet(inode: number, offset: number, file?: string): void {
    // Noted just before, nothing spooled since: a second note would read as another file met
    // there, with nothing read of it, which a later tail would read again from that place.
    if (this.lastNoted?.inode === inode && this.lastNoted.offset === offset) return;
    this.lastNoted = { inode, offset };
    mkdirSync(this.spoolDir, { recursive: true });
    writeDurably(
      path.join(this.spoolDir, spoolName(this.status.path, this.spoolSequence++, inode, offset, offset)),
      // Met past its start (a tail from the end, a copy read on): the bytes before that place, so
      // that a tail resuming there can tell the file is still the same (see `spoolTail`).
      file && offset > 0 ? bytesBefore(file, offset) : Buffer.alloc(0),
    );
  }

  private spool(inode: number, from: number, to: number, bytes: Buffer): string {
    this.lastNoted = undefined;
    mkdirSync(this.spoolDir, { recursive: true });
    const file = path.join(this.spoolDir, spoolName(this.status.path, this.spoolSequence++, inode, from, to));
    const first = from === 0 && !this.headers.has(inode) ? firstLine(bytes) : undefined;
    if (first) this.headers.set(inode, first);
    const header = this.headers.get(inode);
    const withHeader =
      this.container?.kind === 'csv' && from > 0 && header ? Buffer.concat([header, bytes]) : bytes;
    writeDurably(file, withHeader);
    return file;
  }

  private async importBatches(files: string[]): Promise<void> {
    const queue = [...files];
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const summary = await this.session.import([file], {
        tailBatch: true,
        ...(this.format ? { format: this.format } : {}),
        ...(this.container ? { container: this.container } : {}),
      });
      const result = summary.files[0];
      if (result?.status === 'unrecognized' && !this.format) {
        this.hold(file, result.error);
        continue;
      }
      if (result && result.format && !this.format) {
        this.format = result.format as FormatId;
        this.status.format = result.format;
      }
      if (!this.container && result?.status === 'complete') this.container = await layoutOf(file);
      this.status.events += summary.totals.accepted;
      this.status.duplicates += summary.totals.duplicates;
      this.status.rejected += summary.totals.rejected;
      if (result?.status === 'failed') {
        this.unstored = [file, ...queue];
        throw new BatchNotStored(result.error ?? `${file}: not stored`);
      }
      if (result?.status === 'unrecognized') throw new Error(result.error ?? `${file}: ${result.status}`);
      delete this.status.error;
      this.emit(summary);
      if (this.format && this.unrecognized.files.length > 0) {
        // Stored next, now that the format is known.
        queue.unshift(...this.unrecognized.files);
        this.unrecognized = { files: [], bytes: 0 };
      }
    }
  }

  /** Holds a batch not recognized before the format is known (see `unrecognized`). */
  private hold(file: string, why: string | undefined): void {
    const reason = why ?? `${file}: not a recognized audit log`;
    this.unrecognized.bytes += statSync(file).size;
    if (this.unrecognized.bytes > HELD_BYTES) throw new Error(reason);
    this.unrecognized.files.push(file);
    this.status.error = `held until a line of a known format arrives: ${reason}`;
    this.emit();
  }

  private emit(batch?: ImportSummary): void {
    for (const listener of this.listeners) listener({ ...this.status }, batch);
  }

  /** Stops following; what was read is stored (the poll under way finishes first). */
  async stop(): Promise<TailStatus> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    try {
      // The rest of the files rotated out, a slice at a time (what a file holds back is stored
      // when it is finished, not at a slice's edge), then what is held (see `held`).
      do {
        const finished = this.follower.finish();
        if (finished.length > 0) await this.importBatches(this.batches(finished));
      } while (this.follower.rotatedOutLeft());
      const held = this.flushHeld();
      if (held.length > 0) await this.importBatches(held);
    } finally {
      // Stopped even when a batch could not be stored: it stays spooled, for the next tail.
      this.follower.close();
      if (this.status.state !== 'failed') this.status.state = 'stopped';
      this.emit();
    }
    return { ...this.status };
  }
}

export interface TailOptions {
  /** How often to look at the file (default 250 ms); 0 leaves polling to `step`. */
  pollMs?: number;
  /** Start at the file's current end (a fresh tail only; a resumed one continues where it was). */
  fromEnd?: boolean;
  format?: FormatId;
  /** How long an open CSV record waits on a quiet file (default 5 s; see FileTail.held). */
  openRecordMs?: number;
}

const SAFE_NAME = /[^A-Za-z0-9._-]/g;

/**
 * `<name>-<hash of the absolute path>.`: two followed files of the same name (two access.log)
 * never share spool files, and so never each other's place.
 */
function spoolPrefix(file: string): string {
  const hash = createHash('sha256').update(file).digest('hex').slice(0, 10);
  return `${path.basename(file).replace(SAFE_NAME, '_')}-${hash}.`;
}

/** `<prefix><sequence>.<inode>.<from>-<to><ext>`: names sort in the order written. */
export function spoolName(file: string, sequence: number, inode: number, from: number, to: number): string {
  return `${spoolPrefix(file)}${String(sequence).padStart(17, '0')}.${inode}.${from}-${to}${path.extname(file) || '.log'}`;
}

export interface Spool {
  path: string;
  inode: number;
  /** The bytes of the followed file it holds: [from, to). */
  from: number;
  to: number;
}

/**
 * Where a new tail of a file resumes, from the spools of earlier tails in the order written (a
 * tail writes one of no range for each file it meets, before reading it: see `markMet`): `resume`,
 * where they were in the file they met last (the path's file when the last one stopped);
 * `rotatedOut`, where they were in each file the path no longer names (the last spool of each),
 * in the order they met them, each read on if still beside the path and grown since (see
 * FileFollower); `rotatedWhileStopped`: the file met last is not the path's now, so the path was
 * rotated while no tail ran.
 */
export function resumePoints(
  spools: readonly Spool[],
  current: number | undefined,
): { resume?: Spool; rotatedOut: Spool[]; rotatedWhileStopped: boolean } {
  // The files in the order the tails met them: a file's first spool, or the first after its
  // inode was given to a new file (logrotate deletes a file, then creates one): a spool that
  // starts below where the inode's last one ended is another file's (or the file truncated).
  const met = new Map<Spool, number>();
  const generation = new Map<number, number>();
  const reached = new Map<number, number>();
  spools.forEach((spool, i) => {
    // A spool of no range says a tail met a file (see FileTail.markMet): always a new one.
    if (
      !generation.has(spool.inode) ||
      spool.from < (reached.get(spool.inode) ?? 0) ||
      spool.from === spool.to
    )
      generation.set(spool.inode, i);
    reached.set(spool.inode, spool.to);
    met.set(spool, generation.get(spool.inode) as number);
  });
  /** The last spool of each file met, by when it was met. */
  const files = new Map<number, Spool>();
  for (const spool of spools) files.set(met.get(spool) as number, spool);
  const byMeeting = [...files].sort(([a], [b]) => a - b).map(([, spool]) => spool);
  const resume = byMeeting.at(-1);
  return {
    ...(resume ? { resume } : {}),
    rotatedOut: byMeeting.filter((spool) => spool.inode !== current),
    rotatedWhileStopped: resume !== undefined && resume.inode !== current,
  };
}

/**
 * A file rotated out whose last spool is this close to the last tail's last one may have been
 * read only in part (a crash while it was still being read; see FileFollower).
 */
const HALF_READ_MS = 10 * 60 * 1000;

/**
 * Whether the file a tail stopped in is still beside the path uncompressed: the path's file, not
 * rewritten; or a file beside it holding the bytes read last there (itself rotated out, or a
 * copy: copytruncate), found by its inode or by enough such bytes to tell.
 */
function stoppedInBeside(
  current: number | undefined,
  siblings: readonly Sibling[],
  stoppedIn: FileCursor,
  rewritten: boolean,
): boolean {
  if (stoppedIn.inode === current && !rewritten) return true;
  const telling = (stoppedIn.mark?.length ?? 0) >= MIN_MARK_BYTES;
  return siblings.some(
    (s) =>
      !COMPRESSED.test(s.name) &&
      (s.stat.ino === stoppedIn.inode || telling) &&
      stillHolds(s.path, { ...stoppedIn, inode: s.stat.ino }),
  );
}

/**
 * When the last of these spools was written (epoch ms; for a file's spools, about when its last
 * tail stopped): the last in the order written, or the one before if it was deleted meanwhile.
 */
function lastWritten(spools: readonly Spool[]): number | undefined {
  for (let i = spools.length - 1; i >= 0; i--) {
    try {
      return statSync((spools[i] as Spool).path).mtimeMs;
    } catch {
      // Deleted meanwhile: the one before tells.
    }
  }
  return undefined;
}

/** The spool files of one followed file, in the order they were written. */
function spoolsOf(dir: string, file: string): Spool[] {
  if (!existsSync(dir)) return [];
  const prefix = spoolPrefix(file);
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix))
    .sort()
    .flatMap((name) => {
      const match = /^\d+\.(\d+)\.(\d+)-(\d+)/.exec(name.slice(prefix.length));
      return match
        ? [
            {
              path: path.join(dir, name),
              inode: Number(match[1]),
              from: Number(match[2]),
              to: Number(match[3]),
            },
          ]
        : [];
    });
}

/**
 * How many of a file's last bytes read tell it is still the same file (or a copy of it) when a
 * tail starts: enough for a copy to be recognized by them alone (see FileFollower.contentOf).
 */
const RESUME_MARK_BYTES = 4096;

/**
 * The last bytes of a spool, to recognize the followed file's content at resume: of the file's
 * own bytes only (a CSV spool starts with the header, which the file does not hold there).
 */
function spoolTail(spool: Spool): Buffer {
  const size = statSync(spool.path).size;
  // A spool of no range (a file met) holds the bytes before its place, if any (see markMet).
  return bytesBefore(spool.path, size, spool.to > spool.from ? spool.to - spool.from : size);
}

/** A file's last bytes before `offset`: at most `most` (RESUME_MARK_BYTES), fewer when it holds fewer. */
function bytesBefore(file: string, offset: number, most = RESUME_MARK_BYTES): Buffer {
  const fd = openSync(file, 'r');
  try {
    const length = Math.min(RESUME_MARK_BYTES, most, offset);
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, offset - length));
  } finally {
    closeSync(fd);
  }
}

/** A file's layout (container, CSV delimiter…) from its first bytes; undefined when none is known. */
async function layoutOf(file: string): Promise<ContainerInfo | undefined> {
  return (await sniffStream(new HashingFileReader(file).chunks()).catch(() => null)) ?? undefined;
}

/** The first 64 KiB of a file (its header line, if any). */
function readHead(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    closeSync(fd);
  }
}

function firstLine(bytes: Buffer): Buffer | undefined {
  const end = bytes.indexOf(0x0a);
  return end < 0 ? undefined : bytes.subarray(0, end + 1);
}

/**
 * How many trailing bytes belong to a CSV record still open: a quoted field with a line break
 * inside (a pretty-printed value, a multi-line message) that the next lines will close.
 */
function openCsvRecordTail(bytes: Buffer, delimiter: string): number {
  // Only where rows start matters here: rows are kept as their heads (every one "oversize").
  const splitter = new CsvRowSplitter(0, 0, delimiter.charCodeAt(0));
  for (const row of splitter.push(bytes)) void row;
  for (const row of splitter.finish()) if (row.kind === 'unterminated') return bytes.length - row.offset;
  return 0;
}

/** How many trailing bytes belong to the last auditd event (its lines may not all be there yet). */
function auditdTail(bytes: Buffer): number {
  const text = bytes.toString('latin1');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const serialOf = (line: string): string | undefined => AUDITD_SERIAL.exec(line)?.[1];
  const last = serialOf(lines[lines.length - 1] ?? '');
  if (last === undefined) return 0;
  let keep = 0;
  for (let i = lines.length - 1; i >= 0 && serialOf(lines[i] as string) === last; i--)
    keep += (lines[i] as string).length + 1;
  // The whole batch is one event: hand it on when the file goes quiet.
  return Math.min(keep, bytes.length);
}
