// Following log files into a case, tail -F style, with real audit logs: lines written in pieces
// (half a line at a time), a rotation with lines still appended to the old file, a truncation, a
// tail stopped and resumed, a batch spooled but not imported (a crash), auditd events whose lines
// arrive apart. The case must end with exactly the events a one-shot import of everything written
// stores: nothing lost, nothing twice. And the rules find the same alerts as over the batch import.
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  linkSync,
  renameSync,
  rmSync,
  truncateSync,
  utimesSync,
  writeFileSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { dataset } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { batchIds, idsOf, linesOf } from '../../../test/support/case-ids.ts';
import { CaseSession } from '../case-session.ts';
import { openCaseForReading } from '../store/case-db.ts';
import { AlertEngine } from '../detect/alert-rules.ts';
import { builtInRules, DEFAULT_DETECTION_SETTINGS } from '../../../shared/domain/detection-settings.ts';
import { FileTail, resumePoints, spoolName, type Spool } from './tail-file.ts';

const temp = tempDir();
afterAll(() => temp.cleanup());

const GITHUB = dataset('github-audit', 'azure-sentinel-sample', 'Github_sample_logs.json');
const OKTA = dataset('okta-system-log', 'cribl-okta-rest', 'okta_system_log.part1.ndjson');
const AUDITD = dataset('linux-auditd', 'go-libaudit', 'audit-rhel6.log');
const HONEY_CSV = dataset('aws-cloudtrail', 'otrf', 'AWS_S3_HoneyBucketLogs.part1.csv');

describe('tailing a file into a case', () => {
  it('reads appends in pieces, across a rotation and a truncation, losing and repeating nothing', async () => {
    const lines = linesOf(GITHUB);
    expect(lines.length).toBeGreaterThan(50);
    const log = temp.file('audit.ndjson');
    const session = await CaseSession.open(temp.file('tail.auditscope'));
    writeFileSync(log, '');
    const tail = await FileTail.start(session, log, { pollMs: 0 });
    let written = '';
    const write = (file: string, text: string): void => {
      appendFileSync(file, text);
      written += text;
    };
    // Whole lines and half lines: a half line waits for its newline.
    for (let i = 0; i < 25; i++) {
      const line = lines[i] as string;
      write(log, line.slice(0, 30));
      await tail.step();
      write(log, line.slice(30));
      if (i % 7 === 0) await tail.step();
    }
    await tail.step();
    const before = tail.status.events;
    expect(before).toBe(25);

    // Rotation: the old file is renamed, still gets lines (and an unterminated last one), then a
    // new file takes the name.
    renameSync(log, `${log}.1`);
    write(`${log}.1`, lines.slice(25, 30).join(''));
    write(`${log}.1`, (lines[30] as string).trimEnd());
    written += '\n';
    writeFileSync(log, '');
    write(log, lines.slice(31, 40).join(''));
    await tail.step();
    await tail.step();
    expect(tail.status.rotations).toBe(1);

    // copytruncate: the file is emptied and, before the next poll, written past the old position.
    await tail.step();
    truncateSync(log, 0);
    write(log, lines.slice(40, 56).join(''));
    await tail.step();
    expect(tail.status.truncations).toBe(1);
    write(log, lines.slice(56).join(''));
    await tail.step();
    const status = await tail.stop();
    await session.close();

    const { ids, rows } = idsOf(session.path);
    expect(new Set(ids).size).toBe(rows);
    expect(ids).toEqual(await batchIds(temp, 'audit.ndjson', written));
    expect(status).toMatchObject({ state: 'stopped', rejected: 0, format: 'github' });
  }, 120_000);

  it('reads the lines an application writes to its log after it was rotated, until it reopens it', async () => {
    const lines = linesOf(OKTA);
    const log = temp.file('okta-rotating.ndjson');
    writeFileSync(log, lines.slice(0, 10).join(''));
    const session = await CaseSession.open(temp.file('rotating.auditscope'));
    const tail = await FileTail.start(session, log, { pollMs: 0 });
    await tail.step();
    // logrotate's create mode: the log is renamed and a new one created; the application goes on
    // writing to the file it has open until it is told to reopen its log.
    renameSync(log, `${log}.1`);
    writeFileSync(log, lines.slice(10, 15).join(''));
    await tail.step();
    expect(tail.status).toMatchObject({ rotations: 1, events: 15 });
    appendFileSync(`${log}.1`, lines.slice(15, 19).join('') + (lines[19] as string).trimEnd());
    appendFileSync(log, lines.slice(20, 25).join(''));
    await tail.step();
    // The last line of the old file, without its newline, once the file stops growing (or now).
    const status = await tail.stop();
    expect(status).toMatchObject({ state: 'stopped', events: 25, rejected: 0 });
    // Followed again: from where it was in the new file, not from its start.
    appendFileSync(log, lines.slice(25, 30).join(''));
    const again = await FileTail.start(session, log, { pollMs: 0 });
    await again.step();
    expect(await again.stop()).toMatchObject({ events: 5, duplicates: 0 });
    await session.close();
    expect(idsOf(session.path).ids).toEqual(
      await batchIds(temp, 'okta-rotating.ndjson', lines.slice(0, 30).join('')),
    );
  }, 60_000);

  it('reads on, when followed again, a file rotated while no tail ran', async () => {
    const lines = linesOf(OKTA);
    const log = temp.file('okta-rotated-while-stopped.ndjson');
    writeFileSync(log, lines.slice(0, 10).join(''));
    const session = await CaseSession.open(temp.file('rotated-while-stopped.auditscope'));
    const tail = await FileTail.start(session, log, { pollMs: 0 });
    await tail.step();
    await tail.stop();
    // While no tail runs: the application logs on, then its log is rotated, and it goes on in
    // the new file (and, until it reopens its log, in the old one).
    appendFileSync(log, lines.slice(10, 15).join(''));
    renameSync(log, `${log}.1`);
    writeFileSync(`${log}.2`, lines.slice(30, 35).join('')); // another file beside it, never followed
    writeFileSync(log, lines.slice(15, 20).join(''));
    const again = await FileTail.start(session, log, { pollMs: 0 });
    await again.step();
    appendFileSync(`${log}.1`, lines.slice(20, 22).join(''));
    appendFileSync(log, lines.slice(22, 25).join(''));
    await again.step();
    expect(await again.stop()).toMatchObject({ events: 15, duplicates: 0, rejected: 0 });
    await session.close();
    expect(idsOf(session.path).ids).toEqual(
      await batchIds(temp, 'okta-rotated-while-stopped.ndjson', lines.slice(0, 25).join('')),
    );
  }, 60_000);

  /**
   * Followed, stopped in its log, then while no tail runs the log gets lines 10–15 and is rotated
   * twice by `rotate` (which writes lines 15–20 to the file in between): the tail that starts
   * then, after one poll, with lines 20–25 in the new file.
   */
  async function rotatedTwiceWhileStopped(name: string, rotate: (log: string, lines: string[]) => void) {
    const lines = linesOf(OKTA);
    const log = temp.file(name);
    writeFileSync(log, lines.slice(0, 10).join(''));
    const session = await CaseSession.open(temp.file(`${name}.auditscope`));
    const tail = await FileTail.start(session, log, { pollMs: 0 });
    await tail.step();
    await tail.stop();
    appendFileSync(log, lines.slice(10, 15).join(''));
    rotate(log, lines);
    writeFileSync(log, lines.slice(20, 25).join(''));
    const again = await FileTail.start(session, log, { pollMs: 0 });
    await again.step();
    return { lines, session, again };
  }

  it('reads every file rotated out while no tail ran, the one it stopped in and those after it', async () => {
    // logrotate's numbered names: the file the tail stopped in is app.log.2 by now, app.log.1 the
    // one after it. app.log.3 is older than both (never followed), and app.log.bak someone's copy.
    const numbered = await rotatedTwiceWhileStopped('okta-rotated-twice.ndjson', (log, lines) => {
      writeFileSync(`${log}.3`, lines.slice(40, 45).join(''));
      renameSync(log, `${log}.1`);
      writeFileSync(log, lines.slice(15, 20).join(''));
      renameSync(`${log}.1`, `${log}.2`);
      renameSync(log, `${log}.1`);
      writeFileSync(`${log}.bak`, lines.slice(45, 50).join(''));
    });
    expect(numbered.again.status.warning).toBeUndefined();
    expect(await numbered.again.stop()).toMatchObject({ events: 15, duplicates: 0, rejected: 0 });
    await numbered.session.close();
    expect(idsOf(numbered.session.path).ids).toEqual(
      await batchIds(temp, 'okta-rotated-twice.ndjson', numbered.lines.slice(0, 25).join('')),
    );
    // Dated names (logrotate's dateext): the later date is the later file.
    const dated = await rotatedTwiceWhileStopped('okta-rotated-dated.ndjson', (log, lines) => {
      writeFileSync(`${log}-20261129`, lines.slice(40, 45).join(''));
      renameSync(log, `${log}-20261130`);
      writeFileSync(log, lines.slice(15, 20).join(''));
      renameSync(log, `${log}-20261201`);
    });
    expect(await dated.again.stop()).toMatchObject({ events: 15, duplicates: 0, rejected: 0 });
    await dated.session.close();
    expect(idsOf(dated.session.path).ids).toEqual(
      await batchIds(temp, 'okta-rotated-dated.ndjson', dated.lines.slice(0, 25).join('')),
    );
  }, 60_000);

  it('reads on in the copy of a file truncated while no tail ran (copytruncate), and the copies after it', async () => {
    // Twice: the log copied to app.log.1 (the older copy moved to app.log.2 first), then emptied.
    const copied = await rotatedTwiceWhileStopped('okta-copytruncate.ndjson', (log, lines) => {
      copyFileSync(log, `${log}.1`);
      writeFileSync(log, lines.slice(15, 20).join(''));
      renameSync(`${log}.1`, `${log}.2`);
      copyFileSync(log, `${log}.1`);
    });
    expect(copied.again.status.warning).toBeUndefined();
    expect(await copied.again.stop()).toMatchObject({
      events: 15,
      duplicates: 0,
      rejected: 0,
      truncations: 1,
    });
    await copied.session.close();
    expect(idsOf(copied.session.path).ids).toEqual(
      await batchIds(temp, 'okta-copytruncate.ndjson', copied.lines.slice(0, 25).join('')),
    );
    // The copies compressed at once (logrotate's compress without delaycompress): read through
    // decompressed copies, found by the bytes read last as the uncompressed ones are.
    const compressed = await rotatedTwiceWhileStopped('okta-copytruncate-gz.ndjson', (log, lines) => {
      writeFileSync(`${log}.1.gz`, gzipSync(readFileSync(log)));
      writeFileSync(log, lines.slice(15, 20).join(''));
      renameSync(`${log}.1.gz`, `${log}.2.gz`);
      writeFileSync(`${log}.1.gz`, gzipSync(readFileSync(log)));
    });
    expect(compressed.again.status.warning).toBeUndefined();
    expect(await compressed.again.stop()).toMatchObject({ events: 15, duplicates: 0, truncations: 1 });
    await compressed.session.close();
    expect(idsOf(compressed.session.path).ids).toEqual(
      await batchIds(temp, 'okta-copytruncate-gz.ndjson', compressed.lines.slice(0, 25).join('')),
    );
    expect(copiesLeft(compressed.session)).toEqual([]);
  }, 60_000);

  /** Decompressed copies a tail left in the case's spool folder (none once each is read). */
  const copiesLeft = (session: CaseSession): string[] =>
    readdirSync(`${session.path}.tail`, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.parentPath.includes(`${path.sep}decompressed`))
      .map((entry) => entry.name);

  it('reads on in the file it stopped in when it was rotated out and compressed while no tail ran', async () => {
    let older = '';
    const { lines, session, again } = await rotatedTwiceWhileStopped(
      'okta-compressed.ndjson',
      (log, lines) => {
        // Compressed long before: an archive that tail never followed, not read.
        older = `${log}.3.gz`;
        writeFileSync(older, gzipSync(lines.slice(40, 45).join('')));
        utimesSync(older, new Date('2026-01-01'), new Date('2026-01-01'));
        renameSync(log, `${log}.1`);
        writeFileSync(log, lines.slice(15, 20).join(''));
        // logrotate's delaycompress: the older file compressed at the second rotation. (A link
        // elsewhere keeps its inode from going to the new file, which would read as the file
        // replaced.)
        linkSync(`${log}.1`, temp.file('okta-compressed-inode-kept'));
        writeFileSync(`${log}.2.gz`, gzipSync(readFileSync(`${log}.1`)));
        rmSync(`${log}.1`);
        renameSync(log, `${log}.1`);
      },
    );
    expect(again.status.warning).toBeUndefined();
    expect(await again.stop()).toMatchObject({ events: 15, duplicates: 0, rejected: 0 });
    await session.close();
    expect(idsOf(session.path).ids).toEqual(
      await batchIds(temp, 'okta-compressed.ndjson', lines.slice(0, 25).join('')),
    );
    expect(copiesLeft(session)).toEqual([]);
    expect(existsSync(older)).toBe(true);
  }, 60_000);

  it('says so when it cannot decompress a file rotated out while no tail ran, or knows no way to', async () => {
    // The file it stopped in compressed at once, but cut short (a full disk while compressing);
    // the one after it compressed with bzip2.
    const { lines, session, again } = await rotatedTwiceWhileStopped(
      'okta-compressed-bad.ndjson',
      (log, lines) => {
        const gzip = gzipSync(readFileSync(log));
        writeFileSync(`${log}.2.gz`, gzip.subarray(0, gzip.length - 20));
        writeFileSync(log, lines.slice(15, 20).join(''));
        writeFileSync(`${log}.1.bz2`, 'BZh9 not really');
      },
    );
    expect(again.status.warning).toMatch(/could not decompress okta-compressed-bad\.ndjson\.2\.gz \(/);
    expect(again.status.warning).toMatch(/no longer beside it/);
    // The path's file is read all the same.
    expect(await again.stop()).toMatchObject({ events: 5 });
    await session.close();
    expect(idsOf(session.path).ids).toEqual(
      await batchIds(
        temp,
        'okta-compressed-bad.ndjson',
        [...lines.slice(0, 10), ...lines.slice(20, 25)].join(''),
      ),
    );
    expect(copiesLeft(session)).toEqual([]);
  }, 60_000);

  describe('restarted after rotations while no tail ran, then again', () => {
    /** One tail of `log` into `session`: started, polled `polls` times, stopped unless it "crashes". */
    async function follow(session: CaseSession, log: string, polls = 1, crash = false) {
      const tail = await FileTail.start(session, log, { pollMs: 0 });
      for (let i = 0; i < polls; i++) await tail.step();
      return crash ? tail.status : tail.stop();
    }
    /** Okta lines [from, to) written (appended) to `file`. */
    const okta = linesOf(OKTA);
    const put = (file: string, from: number, to: number): void =>
      appendFileSync(file, okta.slice(from, to).join(''));
    /** logrotate's numbered rotation: app.log.N becomes app.log.N+1, app.log becomes app.log.1. */
    const rotate = (log: string, keep = 3): void => {
      for (let n = keep; n >= 1; n--)
        if (existsSync(`${log}.${n}`)) renameSync(`${log}.${n}`, `${log}.${n + 1}`);
      renameSync(log, `${log}.1`);
    };
    /** logrotate's `compress` without delaycompress: app.log.1.gz on to .2.gz, app.log to .1.gz. */
    const rotateCompressed = (log: string): void => {
      if (existsSync(`${log}.1.gz`)) renameSync(`${log}.1.gz`, `${log}.2.gz`);
      // A link elsewhere keeps its inode from going to the next file.
      linkSync(log, temp.file(`kept-${path.basename(log)}-${Date.now()}-${Math.random()}`));
      writeFileSync(`${log}.1.gz`, gzipSync(readFileSync(log)));
      rmSync(log);
    };

    /** A log of ten lines, and a case to follow it into. */
    async function tenLines(name: string) {
      const log = temp.file(name);
      put(log, 0, 10);
      return { log, session: await CaseSession.open(temp.file(`${name}.auditscope`)) };
    }
    /** Stopped in app.log, then two rotations: app.log.2 is where it stopped, app.log.1 the next. */
    async function twiceRotated(name: string) {
      const { log, session } = await tenLines(name);
      await follow(session, log);
      put(log, 10, 15);
      rotate(log);
      put(log, 15, 20);
      rotate(log);
      put(log, 20, 25);
      return { log, session };
    }
    /** Stopped in app.log (lines 0–10), which gets 10–15 and is compressed at once; the new one has 15–20. */
    async function stoppedThenCompressed(name: string) {
      const { log, session } = await tenLines(name);
      await follow(session, log);
      put(log, 10, 15);
      rotateCompressed(log);
      put(log, 15, 20);
      return { log, session };
    }
    const expectAll = async (session: CaseSession, name: string, to: number) => {
      await session.close();
      expect(idsOf(session.path).ids).toEqual(await batchIds(temp, name, okta.slice(0, to).join('')));
    };

    it('reads the gzip files rotated out after the one it stopped in, and names those it cannot read', async () => {
      const name = 'okta-later-gz.ndjson';
      const { log, session } = await tenLines(name);
      await follow(session, log);
      put(log, 10, 15);
      // logrotate's dateext: the file it stopped in kept as it was, the later ones compressed
      // (one with bzip2, which Node cannot read).
      renameSync(log, `${log}-20261130`);
      put(log, 15, 20);
      writeFileSync(`${log}-20261201.gz`, gzipSync(readFileSync(log)));
      rmSync(log);
      writeFileSync(`${log}-20261202.bz2`, 'BZh9 not really');
      put(log, 20, 25);
      const status = await follow(session, log);
      expect(status).toMatchObject({ events: 15, duplicates: 0, rejected: 0 });
      expect(status.warning).toMatch(/and compressed: okta-later-gz\.ndjson-20261202\.bz2 not read/);
      await expectAll(session, name, 25);
      expect(copiesLeft(session)).toEqual([]);
    }, 60_000);

    it('reads on in a decompressed copy after a tail that made it crashed, and deletes it once read', async () => {
      const name = 'okta-copy-crash.ndjson';
      const { log, session } = await stoppedThenCompressed(name);
      // Started (the copy made, and noted as met), then gone before its first poll.
      await follow(session, log, 0, true);
      expect(copiesLeft(session)).toHaveLength(1);
      expect(await follow(session, log)).toMatchObject({ events: 10, duplicates: 0 });
      await expectAll(session, name, 20);
      expect(copiesLeft(session)).toEqual([]);
    }, 60_000);

    it('reads a copy on once after a crash mid-read, its file renamed and the path rotated since', async () => {
      const name = 'okta-copy-crash-mid.ndjson';
      const { log, session } = await tenLines(name);
      await follow(session, log);
      put(log, 10, 14);
      // Its last line unfinished: held by the poll that reads the copy, and the tail crashes.
      appendFileSync(log, (okta[14] as string).trimEnd());
      writeFileSync(`${log}.1.gz`, gzipSync(readFileSync(log)));
      rmSync(log);
      put(log, 15, 20);
      await follow(session, log, 1, true);
      renameSync(`${log}.1.gz`, `${log}.2.gz`);
      renameSync(log, `${log}.1`);
      put(log, 20, 25);
      expect(await follow(session, log)).toMatchObject({ duplicates: 0 });
      await session.close();
      const expected = await batchIds(
        temp,
        name,
        [...okta.slice(0, 14), (okta[14] as string).trimEnd() + '\n', ...okta.slice(15, 25)].join(''),
      );
      expect(idsOf(session.path).ids).toEqual(expected);
      expect(copiesLeft(session)).toEqual([]);
    }, 60_000);

    it('reads on in a file rotated out, left half read by a crash, then compressed', async () => {
      // The gzip file dated now, or as gzip keeps a file's time: an hour back (a backlog).
      for (const dated of ['now', 'an hour back']) {
        const name = `okta-half-read-gz-${dated.replace(/ /g, '-')}.ndjson`;
        const { log, session } = await tenLines(name);
        const tail = await FileTail.start(session, log, { pollMs: 0 });
        await tail.step();
        renameSync(log, `${log}.1`);
        put(log, 10, 12);
        await tail.step();
        // The application writes to the old file a moment longer; the tail crashes meanwhile (no
        // stop), and logrotate compresses the old file (a link elsewhere keeps its inode).
        put(`${log}.1`, 12, 15);
        linkSync(`${log}.1`, temp.file(`kept-${name}`));
        writeFileSync(`${log}.1.gz`, gzipSync(readFileSync(`${log}.1`)));
        if (dated !== 'now') {
          const hourBack = new Date(Date.now() - 3600_000);
          utimesSync(`${log}.1.gz`, hourBack, hourBack);
        }
        rmSync(`${log}.1`);
        put(log, 15, 20);
        expect(await follow(session, log)).toMatchObject({ events: 8, duplicates: 0 });
        await expectAll(session, name, 20);
        expect(copiesLeft(session)).toEqual([]);
      }
    }, 60_000);

    it('does not take a copy a crashed tail kept for the gzip file now named as its file was', async () => {
      const name = 'okta-kept-renamed.ndjson';
      const { log, session } = await stoppedThenCompressed(name);
      // Reads the copy and the new file, then crashes while the copy may still grow: kept.
      expect(await follow(session, log, 1, true)).toMatchObject({ events: 10 });
      put(log, 20, 25);
      rotateCompressed(log);
      put(log, 25, 30);
      const third = await follow(session, log);
      expect(third).toMatchObject({ events: 10, duplicates: 0 });
      expect(third.warning).toBeUndefined();
      await expectAll(session, name, 30);
    }, 60_000);

    it('does not read a copy again after the tail that read it stopped, or crashed', async () => {
      for (const crash of [false, true]) {
        const name = `okta-copy-once-${crash}.ndjson`;
        const { log, session } = await stoppedThenCompressed(name);
        expect(await follow(session, log, 1, crash)).toMatchObject({ events: 10, duplicates: 0 });
        expect(await follow(session, log)).toMatchObject({ events: 0, duplicates: 0 });
        await expectAll(session, name, 20);
      }
    }, 60_000);

    it('reads the copy of a file truncated while it followed, then written and truncated again while stopped', async () => {
      const name = 'okta-truncated-twice.ndjson';
      const { log, session } = await tenLines(name);
      const copytruncate = (): void => {
        if (existsSync(`${log}.1`)) renameSync(`${log}.1`, `${log}.2`);
        copyFileSync(log, `${log}.1`);
        truncateSync(log, 0);
      };
      const tail = await FileTail.start(session, log, { pollMs: 0 });
      await tail.step();
      copytruncate();
      await tail.step();
      expect(await tail.stop()).toMatchObject({ truncations: 1 });
      put(log, 10, 15);
      copytruncate();
      put(log, 15, 20);
      expect(await follow(session, log)).toMatchObject({ events: 10, duplicates: 0 });
      await expectAll(session, name, 20);
    }, 60_000);

    it('reads a copy a crashed tail began on even after its gzip file was deleted', async () => {
      const name = 'okta-copy-orphan.ndjson';
      const { log, session } = await stoppedThenCompressed(name);
      await follow(session, log, 0, true);
      // logrotate's rotate count (or maxage) deletes it before the next tail.
      rmSync(`${log}.1.gz`);
      expect(await follow(session, log)).toMatchObject({ events: 10, duplicates: 0 });
      await expectAll(session, name, 20);
      expect(copiesLeft(session)).toEqual([]);
    }, 60_000);

    it('reads a file logrotate is compressing (both beside the path) once, and warns of nothing', async () => {
      for (const done of [true, false]) {
        const name = `okta-compressing-${done}.ndjson`;
        const { log, session } = await tenLines(name);
        await follow(session, log);
        put(log, 10, 15);
        renameSync(log, `${log}.2`);
        put(log, 15, 20);
        renameSync(log, `${log}.1`);
        // Compressed (done: not deleted yet; else still being written).
        const gzip = gzipSync(readFileSync(`${log}.1`));
        writeFileSync(`${log}.1.gz`, done ? gzip : gzip.subarray(0, gzip.length >> 1));
        put(log, 20, 25);
        const status = await follow(session, log);
        expect(status).toMatchObject({ events: 15, duplicates: 0 });
        expect(status.warning).toBeUndefined();
        await expectAll(session, name, 25);
      }
    }, 60_000);

    it('reads on in the file the last tail followed, not one it read to its end later', async () => {
      for (const compress of [false, true]) {
        const name = `okta-again-${compress}.ndjson`;
        const { log, session } = await twiceRotated(name);
        await follow(session, log);
        put(log, 25, 30);
        // Another rotation (with compress and delaycompress: the older files compressed).
        if (compress)
          for (const n of [2, 1]) {
            linkSync(`${log}.${n}`, temp.file(`${name}-kept-${n}`));
            writeFileSync(`${log}.${n + 1}.gz`, gzipSync(readFileSync(`${log}.${n}`)));
            rmSync(`${log}.${n}`);
          }
        else for (const n of [2, 1]) renameSync(`${log}.${n}`, `${log}.${n + 1}`);
        renameSync(log, `${log}.1`);
        put(log, 30, 35);
        expect(await follow(session, log)).toMatchObject({ events: 10, duplicates: 0 });
        await expectAll(session, name, 35);
      }
    }, 60_000);

    it('reads on in every file found when the tail that found them stopped before their end (a crash)', async () => {
      const name = 'okta-crashed.ndjson';
      const { log, session } = await twiceRotated(name);
      await follow(session, log, 1, true);
      await follow(session, log);
      await expectAll(session, name, 25);
    }, 60_000);

    it('reads the files rotated while stopped after the one it followed when it stopped, even when an older one has the last spool', async () => {
      const name = 'okta-live-then-stopped.ndjson';
      const { log, session } = await tenLines(name);
      const tail = await FileTail.start(session, log, { pollMs: 0 });
      await tail.step();
      // Rotated while it follows; the application writes to the old file a moment longer.
      rotate(log);
      put(log, 10, 15);
      await tail.step();
      put(`${log}.1`, 15, 17);
      await tail.stop();
      put(log, 17, 20);
      rotate(log);
      put(log, 20, 25);
      rotate(log);
      put(log, 25, 30);
      await follow(session, log);
      await expectAll(session, name, 30);
    }, 60_000);

    it('knows the file it followed while that was still empty, and what came after it', async () => {
      // Rotated while it follows, and stopped while the new file is still empty; while stopped,
      // that file gets lines, then is rotated with compress + delaycompress (the older one
      // compressed: gone by its name), or with the older one deleted (its inode free again).
      for (const older of ['compressed', 'deleted', 'started after the rotation']) {
        const name = `okta-met-empty-${older.replace(/ /g, '-')}.ndjson`;
        const { log, session } = await tenLines(name);
        const tail = await FileTail.start(session, log, { pollMs: 0 });
        await tail.step();
        rotate(log);
        writeFileSync(log, '');
        if (older === 'started after the rotation') {
          await tail.stop();
          await follow(session, log);
        } else {
          await tail.step();
          await tail.stop();
        }
        put(log, 10, 15);
        if (older === 'deleted') rmSync(`${log}.1`);
        else {
          linkSync(`${log}.1`, temp.file(`kept-${name}`));
          writeFileSync(`${log}.2.gz`, gzipSync(readFileSync(`${log}.1`)));
          rmSync(`${log}.1`);
        }
        renameSync(log, `${log}.1`);
        put(log, 15, 20);
        const again = await FileTail.start(session, log, { pollMs: 0 });
        await again.step();
        expect(again.status.warning).toBeUndefined();
        expect(await again.stop()).toMatchObject({ events: 10, truncations: 0 });
        await expectAll(session, name, 20);
      }
    }, 60_000);

    it('reads on in the file it stopped in ten rotations later, after a tail that found it crashed', async () => {
      const name = 'okta-ten-rotations.ndjson';
      const { log, session } = await tenLines(name);
      await follow(session, log);
      // A half-written line when the file was rotated out: the tail after the crash reads it whole.
      put(log, 10, 12);
      appendFileSync(log, (okta[12] as string).trimEnd());
      for (let n = 0; n < 10; n++) {
        rotate(log, 10);
        put(log, 13 + 2 * n, 15 + 2 * n);
      }
      await follow(session, log, 1, true);
      appendFileSync(`${log}.10`, '\n');
      await follow(session, log);
      await expectAll(session, name, 33);
    }, 60_000);

    it('reads, without a warning, a new file given the inode of one rotated out and deleted', async () => {
      const name = 'okta-inode-reused.ndjson';
      const { log, session } = await tenLines(name);
      const tail = await FileTail.start(session, log, { pollMs: 0 });
      await tail.step();
      const rotatedOut = statSync(log).ino;
      rotate(log);
      put(log, 10, 15);
      await tail.step();
      await tail.stop();
      put(log, 15, 20);
      rmSync(`${log}.1`);
      rotate(log);
      put(log, 20, 25);
      // The file system gives the new file the deleted one's inode (as ext4 does, at times): the
      // spools of the old one are made to name the new one's.
      const reused = statSync(log).ino;
      const dir = `${session.path}.tail`;
      for (const spool of readdirSync(dir))
        if (spool.includes(`.${rotatedOut}.`))
          renameSync(path.join(dir, spool), path.join(dir, spool.replace(`.${rotatedOut}.`, `.${reused}.`)));
      const status = await follow(session, log);
      expect(status.warning).toBeUndefined();
      expect(status).toMatchObject({ truncations: 0, events: 10 });
      await expectAll(session, name, 25);
    }, 60_000);

    it('reads the files rotated after it by names with a time zone letter (app.log.20261130T000000Z)', async () => {
      const name = 'okta-rotated-zulu.ndjson';
      const { log, session } = await tenLines(name);
      await follow(session, log);
      put(log, 10, 15);
      renameSync(log, `${log}.20261130T000000Z`);
      put(log, 15, 20);
      renameSync(log, `${log}.20261201T000000Z`);
      put(log, 20, 25);
      await follow(session, log);
      await expectAll(session, name, 25);
    }, 60_000);

    /** logrotate's delaycompress: app.log.1 compressed to app.log.2.gz, the path to app.log.1. */
    const rotateCompressing = (log: string): void => {
      // A link elsewhere keeps its inode from going to a new file (see the inode tests).
      linkSync(`${log}.1`, temp.file(`${path.basename(log)}-kept-${Date.now()}`));
      writeFileSync(`${log}.2.gz`, gzipSync(readFileSync(`${log}.1`)));
      rmSync(`${log}.1`);
      renameSync(log, `${log}.1`);
    };

    it('knows a file that appeared after the path was missing, still empty at stop', async () => {
      const name = 'okta-reappeared.ndjson';
      const { log, session } = await tenLines(name);
      const tail = await FileTail.start(session, log, { pollMs: 0 });
      await tail.step();
      renameSync(log, `${log}.1`);
      await tail.step(); // waiting for the file
      writeFileSync(log, '');
      await tail.step();
      // A rotation, though the new file came a poll after the old one was renamed away.
      expect(await tail.stop()).toMatchObject({ rotations: 1 });
      put(log, 10, 15);
      rotateCompressing(log);
      put(log, 15, 20);
      const status = await follow(session, log);
      expect(status.warning).toBeUndefined();
      await expectAll(session, name, 20);
    }, 60_000);

    it('knows a new file given the inode of a file met long ago, still empty at stop', async () => {
      const name = 'okta-old-inode.ndjson';
      const { log, session } = await tenLines(name);
      await follow(session, log);
      put(log, 10, 15);
      renameSync(log, `${log}.1`);
      writeFileSync(log, '');
      // A file the tails met long ago (deleted since) had the new file's inode: its spool.
      const old = okta.slice(0, 2).join('');
      const spool = spoolName(log, 1, statSync(log).ino, 0, Buffer.byteLength(old));
      writeFileSync(path.join(`${session.path}.tail`, spool), old);
      await follow(session, log);
      put(log, 15, 20);
      rotateCompressing(log);
      put(log, 20, 25);
      const status = await follow(session, log);
      expect(status.warning).toBeUndefined();
      await expectAll(session, name, 25);
    }, 60_000);

    it('tells a file copied and truncated while stopped from the one a tail from its end was in', async () => {
      const name = 'okta-from-end-copied.ndjson';
      const { log, session } = await tenLines(name);
      const first = await FileTail.start(session, log, { pollMs: 0, fromEnd: true });
      await first.step();
      await first.stop();
      put(log, 10, 15);
      copyFileSync(log, `${log}.1`);
      truncateSync(log, 0);
      put(log, 15, 35);
      const again = await FileTail.start(session, log, { pollMs: 0, fromEnd: true });
      await again.step();
      expect(await again.stop()).toMatchObject({ events: 25, rejected: 0, truncations: 1 });
      await session.close();
      expect(idsOf(session.path).ids).toEqual(await batchIds(temp, name, okta.slice(10, 35).join('')));
    }, 60_000);

    it('does not read a copy twice when its file stays empty after copytruncate', async () => {
      const name = 'okta-copied-empty.ndjson';
      const { log, session } = await tenLines(name);
      await follow(session, log);
      put(log, 10, 15);
      copyFileSync(log, `${log}.1`);
      truncateSync(log, 0);
      expect(await follow(session, log)).toMatchObject({ events: 5, duplicates: 0 });
      expect(await follow(session, log)).toMatchObject({ events: 0, duplicates: 0 });
      await expectAll(session, name, 15);
    }, 60_000);

    it('reads a CSV copy (copytruncate) on with its header', async () => {
      const [header, ...rows] = linesOf(HONEY_CSV);
      const log = temp.file('honey-copied.csv');
      writeFileSync(log, [header, ...rows.slice(0, 10)].join(''));
      const session = await CaseSession.open(temp.file('honey-copied.auditscope'));
      await follow(session, log);
      appendFileSync(log, rows.slice(10, 15).join(''));
      copyFileSync(log, `${log}.1`);
      writeFileSync(log, [header, ...rows.slice(15, 20)].join(''));
      expect(await follow(session, log)).toMatchObject({ events: 10, rejected: 0 });
      await session.close();
      expect(idsOf(session.path).ids).toEqual(
        await batchIds(temp, 'honey-copied.csv', [header, ...rows.slice(0, 20)].join('')),
      );
    }, 60_000);
  });

  it('resumes where it stopped, and stores a batch that was spooled but never imported', async () => {
    const lines = linesOf(OKTA);
    const log = temp.file('okta.ndjson');
    const casePath = temp.file('resume.auditscope');
    writeFileSync(log, lines.slice(0, 20).join(''));
    let session = await CaseSession.open(casePath);
    let tail = await FileTail.start(session, log, { pollMs: 0 });
    await tail.step();
    await tail.stop();
    await session.close();

    // Appended while no tail ran; then a batch spooled by a tail that died before importing it.
    appendFileSync(log, lines.slice(20, 30).join(''));
    const from = Buffer.byteLength(lines.slice(0, 20).join(''));
    const to = Buffer.byteLength(lines.slice(0, 30).join(''));
    writeFileSync(
      path.join(`${casePath}.tail`, spoolName(log, Date.now() * 1000 + 999, statSync(log).ino, from, to)),
      lines.slice(20, 30).join(''),
    );
    appendFileSync(log, lines.slice(30).join(''));

    session = await CaseSession.open(casePath);
    tail = await FileTail.start(session, log, { pollMs: 0 });
    await tail.step();
    await tail.stop();
    await session.close();
    const { ids, rows } = idsOf(casePath);
    expect(new Set(ids).size).toBe(rows);
    expect(rows).toBe(lines.length);
    expect(ids).toEqual(await batchIds(temp, 'okta.ndjson', lines.join('')));
  }, 60_000);

  it('counts the lines that are no audit record as rejects and keeps following, a banner first', async () => {
    const lines = linesOf(OKTA);
    const log = temp.file('app-with-banner.ndjson');
    const casePath = temp.file('banner.auditscope');
    // What an application may write before its first event, and between two.
    writeFileSync(log, 'Server started on port 8080\n');
    let session = await CaseSession.open(casePath);
    let tail = await FileTail.start(session, log, { pollMs: 0 });
    await tail.step();
    expect(tail.status).toMatchObject({ state: 'following', events: 0 });
    expect(tail.status.error).toMatch(/held until a line of a known format arrives/);
    appendFileSync(log, lines.slice(0, 10).join(''));
    await tail.step();
    // The format is known: the banner is read as the file is, a reject.
    expect(tail.status).toMatchObject({ state: 'following', events: 10, rejected: 1, format: 'okta' });
    expect(tail.status.error).toBeUndefined();
    // A batch that begins with a warning is read as NDJSON all the same, not sniffed as CSV.
    appendFileSync(log, `WARN disk 91% full\n${lines.slice(10, 20).join('')}`);
    await tail.step();
    expect(tail.status).toMatchObject({ state: 'following', events: 20, rejected: 2 });
    await tail.stop();
    await session.close();

    // Restarted: nothing held or pending to stumble on; the rest arrives.
    appendFileSync(log, lines.slice(20, 30).join(''));
    session = await CaseSession.open(casePath);
    tail = await FileTail.start(session, log, { pollMs: 0 });
    await tail.step();
    expect(tail.status).toMatchObject({ state: 'following', events: 10 });
    await tail.stop();
    await session.close();
    const db = openCaseForReading(casePath);
    const rejects = db.prepare('SELECT reason FROM rejects').pluck().all() as string[];
    db.close();
    expect(rejects).toHaveLength(2);
    expect(idsOf(casePath).ids).toEqual(await batchIds(temp, 'okta-30.ndjson', lines.slice(0, 30).join('')));
  }, 60_000);

  it('stores again, after a delay, a batch the case could not store, and goes on', async () => {
    const lines = linesOf(OKTA);
    const log = temp.file('okta-disk-full.ndjson');
    writeFileSync(log, lines.slice(0, 10).join(''));
    const session = await CaseSession.open(temp.file('disk-full.auditscope'));
    const tail = await FileTail.start(session, log, { pollMs: 0 });
    await tail.step();
    expect(tail.status.events).toBe(10);
    // The case refuses every event for a while, as when its disk is full.
    const other = new Database(session.path);
    other.exec(`CREATE TRIGGER refuse BEFORE INSERT ON events
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    appendFileSync(log, lines.slice(10, 20).join(''));
    await tail.step();
    expect(tail.status).toMatchObject({ state: 'retrying', events: 10, attempt: 1 });
    expect(tail.status.error).toMatch(/disk is full/);
    other.exec('DROP TRIGGER refuse');
    other.close();
    appendFileSync(log, lines.slice(20, 25).join(''));
    await new Promise((r) => setTimeout(r, 600)); // past the first delay (under 500 ms)
    await tail.step();
    const status = await tail.stop();
    await session.close();
    expect(status).toMatchObject({ state: 'stopped', events: 25, rejected: 0 });
    expect(status.error).toBeUndefined();
    expect(idsOf(session.path).ids).toEqual(
      await batchIds(temp, 'okta-25.ndjson', lines.slice(0, 25).join('')),
    );
  }, 60_000);

  it('stops even when the case cannot store what the stop reads, and a later tail stores it', async () => {
    const lines = linesOf(OKTA);
    const log = temp.file('okta-full-at-stop.ndjson');
    writeFileSync(log, lines.slice(0, 10).join(''));
    const session = await CaseSession.open(temp.file('full-at-stop.auditscope'));
    const tail = await FileTail.start(session, log, { pollMs: 0 });
    await tail.step();
    // Rotated; the application writes to the old file a moment longer: the stop reads it to its end.
    renameSync(log, `${log}.1`);
    writeFileSync(log, '');
    await tail.step();
    appendFileSync(`${log}.1`, lines.slice(10, 15).join(''));
    const other = new Database(session.path);
    other.exec(`CREATE TRIGGER refuse BEFORE INSERT ON events
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    await expect(tail.stop()).rejects.toThrow(/disk is full/);
    expect(tail.status.state).toBe('stopped');
    other.exec('DROP TRIGGER refuse');
    other.close();
    await (await FileTail.start(session, log, { pollMs: 0 })).stop();
    await session.close();
    expect(idsOf(session.path).ids).toEqual(
      await batchIds(temp, 'okta-full-at-stop.ndjson', lines.slice(0, 15).join('')),
    );
  }, 60_000);

  it('keeps an auditd event whole when its lines arrive in different polls', async () => {
    const lines = linesOf(AUDITD);
    const log = temp.file('audit.log');
    writeFileSync(log, '');
    const session = await CaseSession.open(temp.file('auditd.auditscope'));
    const tail = await FileTail.start(session, log, { pollMs: 0 });
    // Three lines at a time: most events (SYSCALL, PATH, CWD… records) are cut apart.
    for (let i = 0; i < lines.length; i += 3) {
      appendFileSync(log, lines.slice(i, i + 3).join(''));
      await tail.step();
    }
    await tail.step();
    await tail.stop();
    await session.close();
    const { ids, rows } = idsOf(session.path);
    expect(new Set(ids).size).toBe(rows);
    expect(ids).toEqual(await batchIds(temp, 'audit.log', lines.join('')));
  }, 60_000);

  it('reads every CSV batch with the header, from the end of the file and when resumed', async () => {
    const [header, ...rows] = linesOf(HONEY_CSV);
    const log = temp.file('honey.csv');
    writeFileSync(log, [header, ...rows.slice(0, 40)].join(''));
    const casePath = temp.file('csv.auditscope');
    let session = await CaseSession.open(casePath);
    // From the end: the 40 rows there are not read; what is appended is, header or not.
    let tail = await FileTail.start(session, log, { pollMs: 0, fromEnd: true });
    appendFileSync(log, rows.slice(40, 90).join(''));
    await tail.step();
    await tail.stop();
    await session.close();
    appendFileSync(log, rows.slice(90).join(''));
    session = await CaseSession.open(casePath);
    tail = await FileTail.start(session, log, { pollMs: 0 });
    await tail.step();
    const status = await tail.stop();
    await session.close();
    expect(status).toMatchObject({ rejected: 0, state: 'stopped' });
    const { ids, rows: stored } = idsOf(casePath);
    expect(new Set(ids).size).toBe(stored);
    expect(ids).toEqual(await batchIds(temp, 'honey-tail.csv', [header, ...rows.slice(40)].join('')));
  }, 60_000);

  it('keeps a CSV record whole when a quoted field spans lines written in different polls', async () => {
    const [header, ...rows] = linesOf(HONEY_CSV);
    // Request parameters pretty-printed over two lines, inside their quotes.
    const multiLine = rows.slice(0, 20).map((row) => row.replace(", 'Host':", ",\n 'Host':"));
    expect(multiLine.filter((row) => row.includes(",\n 'Host':")).length).toBeGreaterThan(10);
    const log = temp.file('honey-multiline.csv');
    writeFileSync(log, header as string);
    const session = await CaseSession.open(temp.file('csv-multiline.auditscope'));
    const tail = await FileTail.start(session, log, { pollMs: 0 });
    for (const row of multiLine) {
      // The record's first line (up to the break inside the quotes) in one poll, the rest in the
      // next, or after a poll that found nothing new (a writer that buffers stopped there).
      const cut = row.indexOf('\n') + 1;
      appendFileSync(log, row.slice(0, cut));
      await tail.step();
      await tail.step();
      appendFileSync(log, row.slice(cut));
      await tail.step();
    }
    // Stopped with a record half written: what was read is stored (a reject), not left to a file
    // that may be gone when a tail follows it again.
    const last = rows[20]?.replace(", 'Host':", ",\n 'Host':") as string;
    appendFileSync(log, last.slice(0, last.indexOf('\n') + 1));
    await tail.step();
    expect(await tail.stop()).toMatchObject({ events: 20, rejected: 1 });
    await session.close();
    expect(idsOf(session.path).ids).toEqual(
      await batchIds(temp, 'honey-multiline.csv', [header, ...multiLine].join('')),
    );
  }, 60_000);

  it('does not hold a CSV file back for a stray quote: a quiet poll hands it on', async () => {
    const [header, ...quoted] = linesOf(HONEY_CSV);
    // Rows without quoted fields, so that nothing closes the stray quote below.
    const rows = quoted.map((row) => row.replace(/"[^"]*"/g, 'x'));
    const log = temp.file('honey-stray.csv');
    writeFileSync(log, [header, ...rows.slice(0, 5)].join(''));
    const session = await CaseSession.open(temp.file('csv-stray.auditscope'));
    const tail = await FileTail.start(session, log, { pollMs: 0, openRecordMs: 2000 });
    await tail.step();
    // A quote opens a field and never closes: what follows is held, as a record still open.
    appendFileSync(log, ['AwsApiCall,"broken\n', ...rows.slice(5, 8)].join(''));
    await tail.step();
    await tail.step();
    expect(tail.status.events).toBe(5);
    // Nothing new for longer than a record stays open: what is held goes on as the import reads it.
    await new Promise((r) => setTimeout(r, 2100));
    await tail.step();
    const afterQuiet = tail.status.events + tail.status.rejected;
    expect(afterQuiet).toBeGreaterThan(5);
    // And what comes next is not held behind it.
    appendFileSync(log, rows.slice(8, 13).join(''));
    await tail.step();
    const status = await tail.stop();
    await session.close();
    expect(status.events + status.rejected).toBe(afterQuiet + 5);
  }, 60_000);

  it('stores what a CSV file rotated out still held once it is read to its end, and reads one rotated while stopped with its header', async () => {
    const [header, ...rows] = linesOf(HONEY_CSV);
    const multiLine = rows.map((row) => row.replace(", 'Host':", ",\n 'Host':"));
    const log = temp.file('honey-rotated-open.csv');
    writeFileSync(log, [header, ...rows.slice(0, 5)].join(''));
    const session = await CaseSession.open(temp.file('csv-rotated-open.auditscope'));
    const tail = await FileTail.start(session, log, { pollMs: 0 });
    await tail.step();
    // Rotated with a record half written, whose rest never comes: once the old file is read to
    // its end (here, at stop) the half is stored, a counted reject, not left to a file that
    // logrotate may compress or delete.
    const half = multiLine[5]?.slice(0, (multiLine[5] as string).indexOf('\n') + 1) as string;
    appendFileSync(log, half);
    await tail.step();
    renameSync(log, `${log}.1`);
    writeFileSync(log, [header, ...rows.slice(6, 10)].join(''));
    await tail.step();
    expect(await tail.stop()).toMatchObject({ events: 9, rejected: 1 });
    // Stopped, then more rows, and a rotation while no tail runs: the rotated file is read on
    // with its own header, then the new one.
    // The new file is empty at first (logrotate's create): the rotated one tells the layout.
    appendFileSync(log, rows.slice(10, 15).join(''));
    renameSync(log, `${log}.2`);
    writeFileSync(log, '');
    const again = await FileTail.start(session, log, { pollMs: 0 });
    await again.step();
    appendFileSync(log, [header, ...rows.slice(15, 20)].join(''));
    await again.step();
    expect(await again.stop()).toMatchObject({ events: 10, rejected: 0 });
    await session.close();
  }, 60_000);

  it('reads a CSV file that comes back with the inode of the one read before under its own header', async () => {
    const [header, ...rows] = linesOf(HONEY_CSV);
    const log = temp.file('honey-back.csv');
    writeFileSync(log, [header, ...rows.slice(0, 30)].join(''));
    const inode = statSync(log).ino;
    const session = await CaseSession.open(temp.file('csv-back.auditscope'));
    const tail = await FileTail.start(session, log, { pollMs: 0 });
    await tail.step();
    // The path goes missing; the file that comes back has the same inode (as a new file may be
    // given the old one's) and a new header, a column added.
    renameSync(log, `${log}.away`);
    await tail.step();
    const withColumn = (line: string, value: string): string => `${line.trimEnd()},${value}\n`;
    writeFileSync(`${log}.away`, withColumn(header as string, 'Region'));
    renameSync(`${log}.away`, log);
    expect(statSync(log).ino).toBe(inode);
    await tail.step();
    appendFileSync(
      log,
      rows
        .slice(30, 40)
        .map((row) => withColumn(row, 'eu-west-1'))
        .join(''),
    );
    await tail.step();
    expect(await tail.stop()).toMatchObject({ events: 40, rejected: 0 });
    await session.close();
    const db = openCaseForReading(session.path);
    const regions = db
      .prepare(`SELECT count(*) FROM events WHERE json_extract(document, '$.Region') = 'eu-west-1'`)
      .pluck()
      .get();
    db.close();
    expect(regions).toBe(10);
  }, 60_000);

  it('reads a CSV file rotated to a new header (a column added) with that header', async () => {
    const [header, ...rows] = linesOf(HONEY_CSV);
    const log = temp.file('honey-rotating.csv');
    writeFileSync(log, [header, ...rows.slice(0, 30)].join(''));
    const session = await CaseSession.open(temp.file('csv-rotated.auditscope'));
    const tail = await FileTail.start(session, log, { pollMs: 0 });
    await tail.step();
    // The application was upgraded: its new log has one more column, at the end.
    const withColumn = (line: string, value: string) => `${line.trimEnd()},${value}\n`;
    const upgraded = [
      withColumn(header as string, 'Region'),
      ...rows.slice(30, 60).map((r) => withColumn(r, 'added-region')),
    ];
    renameSync(log, `${log}.1`);
    writeFileSync(log, upgraded[0] as string);
    await tail.step();
    appendFileSync(log, upgraded.slice(1).join(''));
    await tail.step();
    const status = await tail.stop();
    await session.close();
    expect(status).toMatchObject({ rotations: 1, rejected: 0, events: 60 });
    const expected = [
      ...(await batchIds(temp, 'honey-before.csv', [header, ...rows.slice(0, 30)].join(''))),
      ...(await batchIds(temp, 'honey-after.csv', upgraded.join(''))),
    ].sort();
    expect(idsOf(session.path).ids).toEqual(expected);
    // Read with the new header: the new column is a field of each new event.
    const db = openCaseForReading(session.path);
    const withRegion = db
      .prepare(`SELECT count(*) FROM events WHERE document LIKE '%"Region":"added-region"%'`)
      .pluck()
      .get();
    db.close();
    expect(withRegion).toBe(30);
  }, 60_000);

  it('keeps two followed files of the same name apart', async () => {
    const a = temp.file(path.join('a', 'access.ndjson'));
    const b = temp.file(path.join('b', 'access.ndjson'));
    mkdirSync(path.dirname(a), { recursive: true });
    mkdirSync(path.dirname(b), { recursive: true });
    const okta = linesOf(OKTA);
    writeFileSync(a, okta.slice(0, 10).join(''));
    writeFileSync(b, okta.slice(10, 25).join(''));
    const casePath = temp.file('two.auditscope');
    let session = await CaseSession.open(casePath);
    for (const file of [a, b]) {
      const tail = await FileTail.start(session, file, { pollMs: 0 });
      await tail.step();
      await tail.stop();
    }
    await session.close();
    appendFileSync(b, okta.slice(25, 30).join(''));
    session = await CaseSession.open(casePath);
    const tail = await FileTail.start(session, b, { pollMs: 0 });
    await tail.step();
    // Resumed from b's own place: only b's five new lines, not a's state.
    expect((await tail.stop()).events).toBe(5);
    await session.close();
    expect(idsOf(casePath).rows).toBe(30);
  }, 60_000);

  it('gives the rules the same alerts as the batch import of the same lines', async () => {
    const lines = linesOf(GITHUB);
    const log = temp.file('github.ndjson');
    writeFileSync(log, '');
    const session = await CaseSession.open(temp.file('github-live.auditscope'));
    const tail = await FileTail.start(session, log, { pollMs: 0 });
    const live = new AlertEngine(builtInRules({ ...DEFAULT_DETECTION_SETTINGS, accountFailuresAbove: 1 }));
    const liveDb = openCaseForReading(session.path);
    for (let i = 0; i < lines.length; i += 9) {
      appendFileSync(log, lines.slice(i, i + 9).join(''));
      await tail.step();
      live.advance(liveDb);
    }
    await tail.stop();
    const batchFile = temp.file('github-batch.ndjson');
    writeFileSync(batchFile, lines.join(''));
    const batchSession = await CaseSession.open(temp.file('github-batch.auditscope'));
    await batchSession.import([batchFile]);
    const batchDb = openCaseForReading(batchSession.path);
    const batch = new AlertEngine(builtInRules({ ...DEFAULT_DETECTION_SETTINGS, accountFailuresAbove: 1 }));
    batch.advance(batchDb);
    const comparable = (engine: AlertEngine) =>
      engine
        .alerts()
        .map(({ seqs: _s, events, ...a }) => ({ ...a, events: events.map((e) => e.id).sort() }))
        .sort((a, b) => a.key.localeCompare(b.key));
    expect(comparable(live).length).toBeGreaterThanOrEqual(4);
    expect(comparable(live)).toEqual(comparable(batch));
    liveDb.close();
    batchDb.close();
    await session.close();
    await batchSession.close();
  }, 60_000);
});

describe('where a tail resumes, from the spools of earlier tails', () => {
  const spool = (inode: number, from: number, to: number): Spool => ({
    path: `${inode}.${from}-${to}`,
    inode,
    from,
    to,
  });

  it('resumes in the file met last, not in one read to its end later (the last spool)', () => {
    // Files 1 then 2; at the last stop the tail read file 1 (rotated out) to its end.
    const spools = [spool(1, 0, 100), spool(2, 0, 50), spool(1, 100, 120)];
    // Then the path was rotated to file 3: file 2 is the one the tail followed.
    expect(resumePoints(spools, 3)).toEqual({
      resume: spools[1],
      rotatedOut: [spools[2], spools[1]],
      rotatedWhileStopped: true,
    });
    expect(resumePoints(spools, 2)).toEqual({
      resume: spools[1],
      rotatedOut: [spools[2]],
      rotatedWhileStopped: false,
    });
  });

  it('counts an inode given to a new file (logrotate deleted the old one) as a new file', () => {
    // File 7, then file 8, then a new file that got inode 7 again (its spools start over at 0).
    const spools = [spool(7, 0, 100), spool(8, 0, 50), spool(7, 0, 30), spool(7, 30, 60)];
    expect(resumePoints(spools, 9)).toEqual({
      resume: spools[3],
      rotatedOut: [spools[0], spools[1], spools[3]],
      rotatedWhileStopped: true,
    });
    // The path names file 8 again: not the file met last (the new file 7), so read from its start.
    expect(resumePoints(spools, 8)).toEqual({
      resume: spools[3],
      rotatedOut: [spools[0], spools[3]],
      rotatedWhileStopped: true,
    });
  });

  it('knows a file met but still empty (its empty spool) as the one followed last', () => {
    const spools = [spool(1, 0, 100), spool(2, 0, 0)];
    expect(resumePoints(spools, 3)).toMatchObject({ resume: spools[1], rotatedWhileStopped: true });
    expect(resumePoints(spools, 2)).toMatchObject({ resume: spools[1], rotatedWhileStopped: false });
  });
});
