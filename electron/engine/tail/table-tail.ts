import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SourceMapping } from '../../../shared/domain/source.ts';
import type { TailStatus } from '../../../shared/domain/tail.ts';
import { parseTimestamp } from '../../../shared/lib/parse-time.ts';
import type { CaseSession } from '../case-session.ts';
import {
  ownColumns,
  type KeyFilter,
  type PagePosition,
  type SourceRow,
  type TableReader,
} from '../sources/table-reader.ts';
import { backoffDelay } from './backoff.ts';
import { writeDurably } from './durable-write.ts';
import { integer, KeyGaps, readsKey } from './key-gaps.ts';

export type TableTailState = 'live' | 'reconnecting' | 'stalled' | 'stopped';

export interface TableTailStatus {
  table: string;
  state: TableTailState;
  /** Events stored, and rows read again in the overlap or already in the case (not stored twice). */
  events: number;
  duplicates: number;
  rejected: number;
  /**
   * The newest event time stored so far, as the source wrote it (at most the server's clock: a
   * row dated in the future does not move it past the present).
   */
  cursor?: string;
  /** Polls that read only new and late rows by key rather than the whole overlap (see KeyGaps). */
  keyedPolls: number;
  /** While reconnecting: which attempt, and when the next one starts (epoch ms). */
  attempt: number;
  retryAt?: number;
  lastError?: string;
}

export interface TableTailOptions {
  /** How the tail is named in statuses (`<source> · <table>`). */
  label?: string;
  /** Opens a read-only reader on the source: again after every failure. */
  connect: () => Promise<TableReader>;
  table: string;
  mapping: SourceMapping;
  /**
   * How far back each poll reads again before the newest time seen. Rows commit out of order: a
   * transaction that started (and took its time) earlier commits after later ones; the overlap
   * must be longer than the longest such delay. Rows read twice are stored once (ids).
   */
  overlapMs?: number;
  pollMs?: number;
  /**
   * A call to the server unanswered for this long shows the tail as stalled (default 10 s). It
   * is not abandoned: the connection's own timeouts end it (readers time statements out on the
   * client too, and drop a connection that timed out), and the tail then reconnects.
   */
  stallMs?: number;
  /** Reconnect delays: full jitter over base·2^attempt, capped (AWS's "exponential backoff and jitter"). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  random?: () => number;
  /** Start at this time (ISO 8601 or as the source writes it); default: now (only new events). */
  from?: string;
  /**
   * PostgreSQL: a channel the application NOTIFYs when it writes (a trigger). A notification
   * starts the next poll at once; it is only a hint: polls go on at `pollMs` whatever arrives.
   */
  wakeChannel?: string;
  /**
   * Rows per read: a poll reads what is new in pages of this many. Default: as many as make
   * about PAGE_BYTES of the rows read so far (1,000–30,000; 10,000 before any row is read).
   */
  pageRows?: number;
}

/**
 * A page's rows, read while following, are stored (and checked by the rules) at once, in one
 * transaction: each commit rewrites the index pages its events touch (one per actor and IP, all
 * over those indexes), so a tail catching up gains from big pages (a writer-only run at 800k
 * events: 33 µs an event in 3,000-row transactions, 25 µs in 10,000, 21 µs in 20,000). The rows
 * are held in memory meanwhile, so a page is bounded by bytes: 10,000 rows of 8 KB were 80 MB.
 */
const PAGE_BYTES = 16 * 1024 * 1024;
const PAGE_ROWS = { first: 10_000, min: 1000, max: 30_000 };
/**
 * While polls read only new and late rows by key (an index lookup; or the window's keys alone,
 * see unreadInWindow), they come this often at most (a row reaches the screen within a second);
 * polls re-reading the whole overlap keep `pollMs`.
 */
const KEYED_POLL_MS = 150;
/**
 * Rows per read of a window's keys alone (two columns: many fit in a page). Each read of a table
 * without an index on its time scans it whole: at 20k rows/s, seven reads of 50,000 took ~2 s.
 */
const KEY_PAGE = 150_000;
/** Past this many unstored keys below the highest stored, the window's rows are read instead. */
const MAX_NAMED_KEYS = 5000;

/** `<table>-<hash of source and table>.`: the spool files of one followed table. */
function tableSpoolPrefix(label: string): string {
  const table = label.split(' · ').pop() ?? label;
  return `${table.replace(/[^\w.-]+/g, '_')}-${createHash('sha256').update(label).digest('hex').slice(0, 10)}.`;
}

/**
 * The newest event time a tail of this table stored in this case (from its last spool file), to
 * resume after a restart: rows committed meanwhile are read, and the overlap covers late commits.
 */
export function lastStoredTime(
  casePath: string,
  label: string,
  timeColumn: string,
  imported: ReadonlySet<string>,
): string | undefined {
  const dir = `${casePath}.tail`;
  if (!existsSync(dir)) return undefined;
  const prefix = tableSpoolPrefix(label);
  // Only batches the case recorded as imported: a spool whose import a crash or a power cut took
  // is not stored, and its rows are read from the table again (they are after this cursor). A
  // spool a power cut left empty tells nothing, one cut short what it holds: the spool before it
  // then tells (the rows after are read again; the case keeps each once).
  const spools = readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && imported.has(path.resolve(dir, name)))
    .sort()
    .reverse();
  let newest: { micros: number; text: string } | undefined;
  for (const spool of spools) {
    for (const line of readFileSync(path.join(dir, spool), 'utf8').split('\n')) {
      const value = parsedLine(line)?.[timeColumn];
      const micros = timeOf(value);
      if (micros !== undefined && (!newest || micros > newest.micros))
        newest = { micros, text: String(value) };
    }
    if (newest) break;
  }
  return newest?.text;
}

/** A page of rows read, its new rows written to a spool file (none when every row was read before). */
interface SpooledPage {
  rows: SourceRow[];
  /** Every row's time (µs), parsed once. */
  times: (number | undefined)[];
  /** The rows not read before, in the file. */
  fresh: SourceRow[];
  file?: string;
}

/** A spool line's row, or undefined for a line cut short (or blank). */
function parsedLine(line: string): Record<string, unknown> | undefined {
  try {
    return line.trim() === '' ? undefined : (JSON.parse(line) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

/**
 * A time column without a zone (MySQL DATETIME, PostgreSQL timestamp): wall-clock times in a zone
 * the server does not tell (an application may write UTC there, or its local time).
 */
const ZONELESS_TIME = /^datetime$|without time zone/i;
/**
 * How many of the rows inserted last tell where the application's clock stands in such a column:
 * their median, so that a few rows dated ahead (a skewed server, a forged record) do not move it.
 */
const CLOCK_SAMPLE = 101;
/** Zones are whole quarter hours off UTC, and at most 14 h ahead of it. */
const ZONE_STEP = 15 * 60 * 1_000_000;
const WIDEST_ZONE_AHEAD = 14 * 3600 * 1_000_000;

/** A table a tail cannot follow (no time column, not a timestamp): trying again will not help. */
export class TailSetupError extends Error {}

function timeOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime() * 1000;
  return typeof value === 'string' ? parseTimestamp(value)?.time : undefined;
}

/** An integer key as its canonical text: only such text is read as a number (`007` stays text). */
const INTEGER_TEXT = /^-?(?:0|[1-9]\d{0,15})$/;

/**
 * How `readKeys` knows a row's key: as a number where it is an integer a double holds exactly
 * (the key of a sequence: PostgreSQL hands a bigint out as text), else as it was read. A Map
 * finds a number without building or hashing a string: at 20k rows/s, keys built as text with
 * the row's time took a sixth of the main thread's work.
 */
function keyOf(key: unknown): unknown {
  if (typeof key === 'string' && INTEGER_TEXT.test(key)) {
    const value = Number(key);
    if (Number.isSafeInteger(value)) return value;
  }
  return key;
}

/** A row's time (µs) as `readKeys` holds it: one that is no instant (`infinity`) in every window. */
const heldTime = (micros: number | undefined): number => micros ?? Number.POSITIVE_INFINITY;

/**
 * How often a spool file waits for the disk (fsync), the first always: a restart resumes from the
 * newest spool the case imported that tells a time, and one a power cut left empty or cut short
 * gives way to the one before (see lastStoredTime), whose rows after are read from the table
 * again, stored once. So a resume point at most this old loses nothing; an fsync a page (16 ms a
 * page, up to 115, at 20k rows/s while the case's log is written) delayed each poll's store.
 */
const SPOOL_SYNC_EVERY_MS = 5000;

/** How often the rows before the window are forgotten (each look goes through every row held). */
const FORGET_EVERY_MS = 1000;

/**
 * Follows a database table into a case: each poll reads the rows from (newest time seen − the
 * overlap) on, in (time, key) pages, and stores them through a spool file and the import path
 * (as a pull does, with the mapping); rows already stored are counted as duplicates. A table whose
 * key the server hands out in order is read by key once known (only new and missing keys: see
 * KeyGaps), the whole window still read every twice the overlap to check. On any error it closes
 * the connection and tries again after a jittered, capped, growing delay, from its cursor: a tail
 * killed and reconnected loses nothing and stores nothing twice.
 */
export class TableTail {
  readonly status: TableTailStatus;
  private readonly session: CaseSession;
  private readonly options: Required<Omit<TableTailOptions, 'from' | 'label' | 'wakeChannel' | 'pageRows'>> &
    Pick<TableTailOptions, 'pageRows'>;
  /** Bytes (as JSON) of the rows read so far, and how many: what sizes a page (see PAGE_BYTES). */
  private readonly rowBytes = { bytes: 0, rows: 0 };
  /** Unset when listening on it failed: the tail polls without the hint. */
  private wakeChannel: string | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  /** Polls now: set by `start`, called by a notification. */
  private wake: () => void = () => undefined;
  private reader: TableReader | undefined;
  private cursorMicros: number | undefined;
  /**
   * The server's clock when the last poll began (µs), plus `zoneAhead` in a column without a
   * zone: the cursor goes no further (see `poll`).
   */
  private serverClock: number | undefined;
  /** In a column without a zone, how far its times run ahead of the server's clock (see `zoneAheadOf`). */
  private zoneAhead: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private spoolCount = 0;
  /**
   * Without a sequence key: the rows read within the overlap (as stored, with their time): read
   * again, stored once. With one, `readKeys` tells the rows read.
   */
  private readonly seen = new Map<string, number>();
  /** With a sequence key: the keys still expected, so polls read only those rows. */
  private readonly gaps: KeyGaps;
  /** The last poll read by key (not the whole overlap). */
  private keyed = false;
  /** Whether the table's key is a sequence (asked once: TableReader.sequenceKey). */
  private sequence: boolean | undefined;
  /** When the whole overlap window was last read, or its keys looked at (epoch ms). */
  private windowReadAt = 0;
  /**
   * With a sequence key: the rows read within the overlap, each key (see `keyOf`) with its row's
   * time (µs: a key reused after `RESTART IDENTITY` is another row), and the highest key read.
   * What a read of the window's keys alone is compared with, and a page read in full (the
   * window) is told its rows read before by. A key reused within the overlap holds the time
   * of the row read last: the other row, read again, is stored once (its event id).
   */
  private readonly readKeys = new Map<unknown, number>();
  private highestRead: bigint | undefined;
  /** When a spool file last waited for the disk (epoch ms; see SPOOL_SYNC_EVERY_MS). */
  private syncedAt = 0;
  /** When the rows before the window were last forgotten (epoch ms; see FORGET_EVERY_MS). */
  private forgotAt = 0;
  private readonly listeners = new Set<(status: TableTailStatus) => void>();
  readonly label: string;

  constructor(session: CaseSession, options: TableTailOptions) {
    this.session = session;
    this.options = {
      overlapMs: 10_000,
      pollMs: 1000,
      stallMs: 10_000,
      backoffBaseMs: 500,
      backoffCapMs: 30_000,
      random: Math.random,
      ...options,
    };
    this.label = options.label ?? options.table;
    this.gaps = new KeyGaps(this.options.overlapMs * 1000);
    this.wakeChannel = options.wakeChannel;
    this.status = {
      table: options.table,
      state: 'live',
      events: 0,
      duplicates: 0,
      rejected: 0,
      attempt: 0,
      keyedPolls: 0,
    };
    // Without a start, from the present less the overlap (the server's clock: see `poll`).
    if (options.from !== undefined) this.setCursor(options.from);
  }

  onUpdate(listener: (status: TableTailStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Polls every `pollMs` until stopped (0: the caller polls with `step`). */
  start(): this {
    let polling = false;
    let woken = false;
    const poll = (): void => {
      polling = true;
      this.running = this.step().finally(() => {
        polling = false;
        loop();
      });
    };
    const loop = (): void => {
      if (this.stopped || this.options.pollMs <= 0) return;
      const now = woken;
      woken = false;
      const interval = this.keyed ? Math.min(this.options.pollMs, KEYED_POLL_MS) : this.options.pollMs;
      this.timer = setTimeout(poll, now ? 0 : interval);
    };
    this.wake = () => {
      if (this.stopped) return;
      if (polling)
        woken = true; // the poll under way may have missed the new rows
      else {
        clearTimeout(this.timer);
        this.timer = setTimeout(poll, 0);
      }
    };
    loop();
    return this;
  }

  /**
   * Moves the cursor to `text` if it is newer (`micros`: its time, when already parsed), but not
   * past the server's clock (see `poll`).
   */
  private setCursor(text: string, micros = parseTimestamp(text)?.time): void {
    if (micros === undefined)
      throw new Error(`the time column holds ${JSON.stringify(text)}, which is not a time`);
    if (this.serverClock !== undefined && micros > this.serverClock)
      return this.setCursor(new Date(this.serverClock / 1000).toISOString(), this.serverClock);
    if (this.cursorMicros === undefined || micros > this.cursorMicros) {
      this.cursorMicros = micros;
      this.status.cursor = text;
    }
  }

  /** Puts the cursor at `micros`, back or forth (`setCursor` only moves it on, to a row's time). */
  private placeCursor(micros: number): void {
    this.cursorMicros = micros;
    this.status.cursor = new Date(micros / 1000).toISOString();
  }

  /** One poll: connect if needed (unless a retry is not due yet), read, store. */
  async step(): Promise<void> {
    if (this.stopped) return;
    if (this.status.retryAt !== undefined && Date.now() < this.status.retryAt) return;
    try {
      this.reader ??= await this.answered(this.options.connect());
      if (this.wakeChannel && !this.unlisten && this.reader.listen)
        this.unlisten = await this.answered(this.reader.listen(this.wakeChannel, () => this.wake())).catch(
          (error: unknown) => {
            // Only a hint (a role allowed one connection, a pooler that drops LISTEN): the polls
            // go on without it, and the reason stays shown.
            this.status.lastError = `not listening on ${this.wakeChannel}: ${(error as Error).message}`;
            this.wakeChannel = undefined;
            return undefined;
          },
        );
      await this.poll(this.reader);
      this.status.state = 'live';
      this.status.attempt = 0;
      delete this.status.retryAt;
    } catch (error) {
      // Not awaited: closing a connection to a server that went silent can wait as long again.
      void this.reader?.close().catch(() => undefined);
      this.reader = undefined;
      void this.unlisten?.();
      this.unlisten = undefined;
      // Rows spooled but perhaps not stored (the poll failed storing, or before): read again,
      // they are stored then, and those the case has are counted duplicates by their event ids.
      this.seen.clear();
      this.status.lastError = (error as Error).message;
      if (error instanceof TailSetupError) {
        // Trying again cannot help: the table is not one a tail can follow.
        this.status.state = 'stopped';
        this.stopped = true;
      } else {
        this.status.state = 'reconnecting';
        const delay = backoffDelay(
          this.status.attempt,
          this.options.backoffBaseMs,
          this.options.backoffCapMs,
          this.options.random,
        );
        this.status.attempt++;
        this.status.retryAt = Date.now() + delay;
      }
    }
    this.emit();
  }

  /** A call to the server: shown as stalled while it goes unanswered for `stallMs`. */
  private async answered<T>(call: Promise<T>): Promise<T> {
    const watchdog = setTimeout(() => {
      if (this.stopped) return;
      this.status.state = 'stalled';
      this.emit();
    }, this.options.stallMs);
    try {
      return await call;
    } finally {
      clearTimeout(watchdog);
    }
  }

  /** Reads from the cursor less the overlap, page by page, storing each page's new rows. */
  private async poll(reader: TableReader): Promise<void> {
    const { table, mapping } = this.options;
    const timeColumn = mapping.time;
    if (timeColumn === undefined)
      throw new TailSetupError('map the event time to a column: a table is followed in time order');
    const columns = await this.answered(reader.columns(table));
    const column = columns.find((c) => c.name === timeColumn);
    if (!column || !/timestamp|date/i.test(column.type))
      throw new TailSetupError(
        `${timeColumn} is ${column?.type ?? 'not a column'}: following a table needs a timestamp column`,
      );
    const key = await this.answered(reader.keyColumn(table));
    if (this.sequence === undefined) {
      if (key === undefined || reader.sequenceKey === undefined) this.sequence = false;
      else {
        // Unanswered (a dropped connection, a catalog the role may not read): the window is read
        // this time, and the question asked again next time.
        const known = await this.answered(reader.sequenceKey(table)).catch(() => undefined);
        if (known !== undefined) this.sequence = known;
      }
    }
    // The server's clock, where the rows' times come from: a tail from now starts at it, and the
    // cursor never stays past it. A row dated in the future (a skewed clock, a forged record)
    // would otherwise leave every row committed after it below the window, unread. So the next
    // window also starts no later than this poll began, less the overlap: a row that commits
    // behind where a long poll (catching up) reads is in it.
    //   A column without a zone holds wall-clock times in a zone the server does not tell (UTC,
    // or the application's local time), so the server's clock may be hours off them. East of
    // UTC, the clock goes as far ahead as the rows run (see `zoneAhead`). From now, such a table
    // is read from the newest row dated before that clock (from its start if there is none), not
    // from the clock, which would leave the rows of a zone west of UTC below the window, unread.
    const zoneless = ZONELESS_TIME.test(column.type);
    const now = reader.serverMicros ? await this.answered(reader.serverMicros()) : Date.now() * 1000;
    if (zoneless && this.zoneAhead === undefined)
      this.zoneAhead = await this.zoneAheadOf(reader, table, timeColumn, key, now);
    const latest = now + (zoneless ? (this.zoneAhead ?? 0) : 0);
    this.serverClock = latest;
    if (this.cursorMicros === undefined && zoneless && reader.newestTime) {
      // `zoneAhead` is rounded down: the application's clock may be a quarter hour further.
      const before = new Date((latest + ZONE_STEP) / 1000).toISOString();
      this.placeCursor(timeOf(await this.answered(reader.newestTime(table, timeColumn, before))) ?? 0);
    }
    if (this.cursorMicros === undefined || this.cursorMicros > latest) this.placeCursor(latest);
    const from = new Date(this.windowStart() / 1000).toISOString();
    // New and late rows only, when the key tells them apart; else the whole overlap window. Every
    // twice the overlap the window's keys are looked at even so, and a row in it the filter would
    // have left out ends polling by key. Keys reset (TRUNCATE … RESTART IDENTITY) lose nothing: no
    // row moves the cursor until one is read. Ids the application wrote below the highest are
    // found by that look while still within the overlap; any older by then are not read.
    const filter = this.sequence === true ? this.gaps.filter(this.cursorMicros ?? 0) : undefined;
    const checking = filter !== undefined && Date.now() - this.windowReadAt >= 2 * this.options.overlapMs;
    let keys = filter;
    this.keyed = keys !== undefined;
    if (this.keyed) this.status.keyedPolls++;
    else {
      this.windowReadAt = Date.now();
      if (this.sequence === true && key !== undefined) {
        keys = this.unreadOf(key, await this.windowKeys(reader, key, from), undefined);
        // Read by key all the same: the next poll may come as soon.
        this.keyed = keys !== undefined;
      }
    }
    if (!checking || key === undefined) await this.readAndStore(reader, key, keys, from);
    else await this.check(reader, key, keys, from, readsKey(filter));
    this.forgetBeforeWindow();
  }

  /**
   * A check poll: reads by the key filter as any keyed poll, and looks at the window's keys while
   * its last page is stored (before, the look came first: ~1 s of a table scanned whole at 20k
   * rows/s, the writer waiting). What the look then finds unread is read at once (the next poll's
   * window may start after it); a row the filter would have left out (`wouldRead`) ends polling
   * by key. A poll catching up (more than one page) puts the look off to the next poll: after a
   * long poll the window holds all it read (the cursor stays at the server's clock when it began:
   * 512,000 keys after one at 20k rows/s), and looking at all of them slows a tail that is behind
   * already. Rows of a reset table stay in the window meanwhile: no new key moves the cursor (and
   * a poll then reads one page, empty).
   */
  private async check(
    reader: TableReader,
    key: string,
    keys: KeyFilter | undefined,
    from: string,
    wouldRead: (key: unknown) => boolean,
  ): Promise<void> {
    let look: Promise<SourceRow[] | undefined> | undefined;
    await this.readAndStore(reader, key, keys, from, (last, pages) => {
      if (pages > 1) return;
      this.windowReadAt = Date.now();
      look = this.windowKeys(reader, key, from, last?.[key]);
      // Awaited below, unless storing the page fails first (then the poll ends with that error).
      look.catch(() => undefined);
    });
    if (!look) return;
    const unread = this.unreadOf(key, await look, wouldRead);
    if (unread === undefined || unread.missing.length > 0) await this.readAndStore(reader, key, unread, from);
  }

  /**
   * Reads pages (by `keys`, else the window from `from`) and stores each page's new rows; the
   * next page is read while one is stored. `onLastPage`: called with the last row of the last page
   * (none when it is empty) and how many pages were read, once that page is read.
   */
  private async readAndStore(
    reader: TableReader,
    key: string | undefined,
    keys: KeyFilter | undefined,
    from: string,
    onLastPage?: (last: SourceRow | undefined, pages: number) => void,
  ): Promise<void> {
    const { table, mapping } = this.options;
    const timeColumn = mapping.time as string;
    const limit = this.pageRows();
    const readPage = (position: PagePosition | undefined): Promise<SourceRow[]> =>
      this.answered(
        reader.rows(table, {
          timeColumn,
          // Without a key, identical rows are told apart by their copy number (see `ownColumns`).
          ...(key ? { key } : { numberCopies: true }),
          // By key, new rows are read whatever their time: a clock set back (the hour repeated
          // when daylight saving ends, in a column without a zone), a writer whose clock runs
          // behind, a backdated insert: all date rows before the window, where a time bound
          // would leave them unread.
          ...(keys ? { keys } : { from }),
          position,
          limit,
        }),
      );
    let read = 0;
    let pages = 1;
    // With a sequence key, a page's rows read before are told by `readKeys`, else by `seen`.
    const spoolKey = this.sequence === true ? key : undefined;
    let page = this.spool(await readPage(undefined), spoolKey);
    /** Storing a page failed: a page read after that is not spooled (see `step`'s forgetting). */
    let failed = false;
    for (;;) {
      // Catching up, the next page is read, and written to its spool file, while this one is
      // stored: reading and spooling (this thread) and storing (the parse and writer threads)
      // overlap instead of taking turns, and the writer starts on the next page at once.
      let next: Promise<SpooledPage> | undefined;
      if (page.rows.length === limit) {
        const last = page.rows[page.rows.length - 1] as SourceRow;
        next = readPage(
          key ? { time: last[timeColumn], key: last[key] } : { offset: read + page.rows.length },
        ).then((rows) => {
          if (failed) throw new Error('the poll failed');
          return this.spool(rows, spoolKey);
        });
        // Awaited below, unless storing this page fails first (then the poll ends with that error).
        next.catch(() => undefined);
      } else onLastPage?.(page.rows.at(-1), pages);
      const { times } = await this.store(page).catch((error: unknown) => {
        failed = true;
        throw error;
      });
      if (this.sequence === true)
        page.rows.forEach((row, i) => {
          const time = times[i] ?? 0;
          // A row dated before the cursor (see above) shows keys missing now, not at its time.
          this.gaps.note(row[key as string], Math.max(time, this.cursorMicros ?? time));
          this.noteRead(row[key as string], times[i]);
        });
      read += page.rows.length;
      if (!next) break;
      // The workspace sees each page stored, not the poll's end.
      this.emit();
      page = await next;
      pages++;
    }
  }

  /** Rows before the next poll's window will not be read again: they need not be remembered. */
  private forgetBeforeWindow(): void {
    // Once a second, not at every poll (every 150 ms by key): each look goes through every row
    // held, 200,000 at 20k rows/s. Rows held a little longer are never read again either.
    if (Date.now() - this.forgotAt >= FORGET_EVERY_MS) {
      this.forgotAt = Date.now();
      const horizon = this.windowStart();
      for (const [row, time] of this.seen) if (time < horizon) this.seen.delete(row);
      for (const [row, time] of this.readKeys) if (time < horizon) this.readKeys.delete(row);
    }
    if (this.sequence === true) this.gaps.settle(this.cursorMicros ?? 0);
  }

  /**
   * How far ahead of the server's clock the application's clock runs in a column without a zone
   * (µs): the median time of the rows inserted last (by a key the server hands out in order)
   * less that clock, in whole quarter hours down, from 0 (UTC, a zone west of it, a table idle for
   * a while, or no such key: the server's clock caps the cursor, as for any column) to 14 h.
   * Without it, every poll read again all the hours a zone east of UTC runs ahead, and remembered
   * every row of them. The rows inserted last, not the newest by time: rows dated ahead stay the
   * newest however few are written, but are few among the last inserted unless most writers skew
   * (then the rows of the others, dated before theirs, are not read until the tail polls by key,
   * which reads new keys whatever their time: the README names this).
   * Unknown (asked again at the next poll) while the table is empty.
   */
  private async zoneAheadOf(
    reader: TableReader,
    table: string,
    timeColumn: string,
    key: string | undefined,
    now: number,
  ): Promise<number | undefined> {
    if (!reader.newestTimes || this.sequence !== true || key === undefined) return 0;
    const times = (await this.answered(reader.newestTimes(table, timeColumn, key, CLOCK_SAMPLE)))
      .map(timeOf)
      .filter((time): time is number => time !== undefined)
      .sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    if (median === undefined) return undefined;
    const ahead = Math.floor((median - now) / ZONE_STEP) * ZONE_STEP;
    return Math.min(WIDEST_ZONE_AHEAD, Math.max(0, ahead));
  }

  /**
   * Where a poll's window starts (µs): the cursor less the overlap, down to the millisecond the
   * query bounds it by. What is forgotten is forgotten from the same instant: forgetting rows of
   * that last millisecond would store them again at every poll, and end polling by key.
   */
  private windowStart(): number {
    return Math.floor(((this.cursorMicros ?? 0) - this.options.overlapMs * 1000) / 1000) * 1000;
  }

  /** Rows per page: as asked, else about PAGE_BYTES of rows as big as those read so far. */
  private pageRows(): number {
    if (this.options.pageRows !== undefined) return this.options.pageRows;
    const { bytes, rows } = this.rowBytes;
    if (rows === 0) return PAGE_ROWS.first;
    const fit = Math.floor(PAGE_BYTES / Math.max(1, bytes / rows));
    return Math.min(PAGE_ROWS.max, Math.max(PAGE_ROWS.min, fit));
  }

  private noteRead(key: unknown, micros: number | undefined): void {
    this.readKeys.set(keyOf(key), heldTime(micros));
    const value = integer(key);
    if (value !== undefined && (this.highestRead === undefined || value > this.highestRead))
      this.highestRead = value;
  }

  /**
   * The window's keys and times alone (a fraction of its rows' bytes: at 20k rows/s a 10 s
   * overlap is 200,000 rows read again), up to the highest key read (or `last`, a key read and not
   * yet stored, when higher); undefined before any row was read.
   */
  private async windowKeys(
    reader: TableReader,
    key: string,
    from: string,
    last?: unknown,
  ): Promise<SourceRow[] | undefined> {
    const { table, mapping } = this.options;
    const timeColumn = mapping.time as string;
    const lastKey = last === undefined ? undefined : integer(last);
    const highest =
      lastKey !== undefined && (this.highestRead === undefined || lastKey > this.highestRead)
        ? lastKey
        : this.highestRead;
    if (highest === undefined) return undefined;
    const pairs: SourceRow[] = [];
    let position: PagePosition | undefined;
    for (;;) {
      const page = await this.answered(
        // Rows above the highest key read are read by key anyway: while the tail is behind, the
        // window holds all of them, and a look at their keys made the next poll later still.
        reader.rows(table, {
          timeColumn,
          key,
          from,
          position,
          limit: KEY_PAGE,
          columns: [key, timeColumn],
          keyAtMost: String(highest),
        }),
      );
      for (const row of page) pairs.push(row);
      if (page.length < KEY_PAGE) return pairs;
      const end = page[page.length - 1] as SourceRow;
      position = { time: end[timeColumn], key: end[key] };
    }
  }

  /**
   * Which of the window's rows (`pairs`, see windowKeys) this tail has not read, as a filter that
   * reads those rows and every one above the highest key read. Rows that commit after the look
   * and below that key are found by the next look, within the overlap as before. Undefined (read
   * the whole window) without pairs, or when too many keys would have to be named. `wouldRead`:
   * the key filter being checked; an unread row it would have left out ends polling by key.
   */
  private unreadOf(
    key: string,
    pairs: SourceRow[] | undefined,
    wouldRead: ((key: unknown) => boolean) | undefined,
  ): KeyFilter | undefined {
    const timeColumn = this.options.mapping.time as string;
    const highest = this.highestRead;
    if (pairs === undefined || highest === undefined) return undefined;
    const missing: string[] = [];
    for (const row of pairs) {
      if (this.readKeys.get(keyOf(row[key])) === heldTime(timeOf(row[timeColumn]))) continue;
      if (wouldRead && !wouldRead(row[key])) this.gaps.abandon();
      const value = integer(row[key]);
      if (value === undefined) return undefined;
      if (value <= highest) missing.push(String(value));
    }
    return missing.length > MAX_NAMED_KEYS ? undefined : { above: String(highest), missing };
  }

  /**
   * Writes the page's rows not read before (those of the overlap were) to a spool file, to be
   * stored by `store`; parses every row's time once (a tenth of this thread's work). Rows read
   * twice count as duplicates here: by `key` (a sequence key: see `readKeys`, which holds the
   * rows stored), else by their text (`seen`). A row spooled without a key counts as read: if
   * storing it fails, the tail forgets every row it read (see `step`), and the case's unique
   * event ids keep what it had.
   */
  private spool(rows: SourceRow[], key: string | undefined): SpooledPage {
    const timeColumn = this.options.mapping.time as string;
    const times = rows.map((row) => timeOf(row[timeColumn]));
    const fresh: string[] = [];
    const freshRows: SourceRow[] = [];
    for (const [i, read] of rows.entries()) {
      const row = ownColumns(read);
      const text = JSON.stringify(row);
      this.rowBytes.bytes += text.length;
      this.rowBytes.rows++;
      const readBefore =
        key !== undefined ? this.readKeys.get(keyOf(row[key])) === heldTime(times[i]) : this.seen.has(text);
      if (readBefore) {
        this.status.duplicates++;
        continue;
      }
      // A row whose time is no instant (`infinity`) is in every window: remembered for good.
      if (key === undefined) this.seen.set(text, heldTime(times[i]));
      fresh.push(text);
      freshRows.push(row);
    }
    if (fresh.length === 0) return { rows, times, fresh: freshRows };
    const dir = `${this.session.path}.tail`;
    mkdirSync(dir, { recursive: true });
    const sequence = String(Date.now() * 1000 + (this.spoolCount++ % 1000)).padStart(17, '0');
    const file = path.join(dir, `${tableSpoolPrefix(this.label)}${sequence}.ndjson`);
    const text = fresh.join('\n') + '\n';
    if (Date.now() - this.syncedAt >= SPOOL_SYNC_EVERY_MS) {
      writeDurably(file, text);
      this.syncedAt = Date.now();
    } else writeFileSync(file, text);
    return { rows, times, fresh: freshRows, file };
  }

  /**
   * Stores a spooled page's file, then moves the cursor; returns the rows it stored, and every
   * row's time.
   */
  private async store(page: SpooledPage): Promise<{ fresh: SourceRow[]; times: (number | undefined)[] }> {
    const { rows, times, file } = page;
    const timeColumn = this.options.mapping.time as string;
    if (file !== undefined) {
      const summary = await this.session.import([file], {
        format: 'generic',
        mapping: this.options.mapping as Record<string, string>,
        tailBatch: true,
      });
      // Not stored (its transaction rolled back): the cursor stays, and the poll fails and is
      // tried again.
      const failed = summary.files.find((result) => result.status !== 'complete');
      if (failed) throw new Error(failed.error ?? `the batch could not be stored (${failed.status})`);
      this.status.events += summary.totals.accepted;
      // Rows the case already had (a pull of the same table, an earlier tail).
      this.status.duplicates += summary.totals.duplicates;
      this.status.rejected += summary.totals.rejected;
    }
    // The cursor moves only once the rows are stored; a time that is no instant (PostgreSQL's
    // `infinity`: the import rejects it) does not move it.
    rows.forEach((row, i) => {
      const time = row[timeColumn];
      const micros = times[i];
      if (micros === undefined) return;
      if (typeof time === 'string') this.setCursor(time, micros);
      else if (time instanceof Date) this.setCursor(time.toISOString(), micros);
    });
    return { fresh: page.fresh, times };
  }

  private emit(): void {
    for (const listener of this.listeners) listener({ ...this.status });
  }

  async stop(): Promise<TableTailStatus> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.reader?.close().catch(() => undefined);
    this.reader = undefined;
    await this.unlisten?.();
    this.unlisten = undefined;
    this.status.state = 'stopped';
    this.emit();
    return { ...this.status };
  }
}

/** A table tail's status in the shape the workspace shows every tail in. */
export function tailStatusOf(tail: TableTail, status: TableTailStatus = tail.status): TailStatus {
  return {
    path: tail.label,
    kind: 'table',
    state: status.state === 'live' ? 'following' : status.state,
    events: status.events,
    duplicates: status.duplicates,
    rejected: status.rejected,
    bytes: 0,
    rotations: 0,
    truncations: 0,
    attempt: status.attempt,
    ...(status.retryAt !== undefined ? { retryAt: status.retryAt } : {}),
    ...(status.lastError !== undefined ? { error: status.lastError } : {}),
  };
}
