// A table tail against a scripted server (rows, a clock, statements seen in order): what a real
// server cannot be made to do on cue, a row committing behind where a long poll is reading.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseTimestamp } from '../../../shared/lib/parse-time.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import type { CaseSession } from '../case-session.ts';
import type { SourceRow, TableReader } from '../sources/table-reader.ts';
import { writeDurably } from './durable-write.ts';
import { lastStoredTime, TableTail } from './table-tail.ts';

// Counted: how often a spool waits for the disk.
vi.mock('./durable-write.ts', async (original) => {
  const actual = await original<typeof import('./durable-write.ts')>();
  return { writeDurably: vi.fn(actual.writeDurably) };
});

const temp = tempDir();
afterAll(() => temp.cleanup());

const START = Date.UTC(2026, 0, 1, 12) * 1000; // µs
const iso = (micros: number): string =>
  `${new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19)}.${String(micros % 1_000_000).padStart(6, '0')}Z`;
const micros = (text: unknown): number => parseTimestamp(String(text))?.time ?? Number.NaN;

/** A table keyed by ids the server does not hand out in order (a uuid): read by its window. */
class ScriptedTable {
  clock = START;
  readonly rows: { id: string; at: string }[] = [];
  /** Runs before each statement that reads rows, as commits between statements do. */
  beforeRead: () => void = () => undefined;

  add(id: string, at: number): void {
    this.rows.push({ id, at: iso(at) });
  }

  reader(): TableReader {
    return {
      location: 'scripted://audit',
      tables: async () => ['audit'],
      columns: async () => [
        { name: 'id', type: 'uuid' },
        { name: 'at', type: 'timestamp with time zone' },
      ],
      keyColumn: async () => 'id',
      sequenceKey: async () => false,
      serverMicros: async () => this.clock,
      rows: async (_table, options) => {
        this.beforeRead();
        const after = options.position as { time: unknown; key: unknown } | undefined;
        const from = micros(options.from);
        return this.rows
          .filter((r) => micros(r.at) >= from)
          .filter(
            (r) =>
              !after ||
              micros(r.at) > micros(after.time) ||
              (micros(r.at) === micros(after.time) && r.id > String(after.key)),
          )
          .sort((a, b) => micros(a.at) - micros(b.at) || a.id.localeCompare(b.id))
          .slice(0, options.limit)
          .map((r) => ({ ...r }) as SourceRow);
      },
      count: async () => 0,
      countWithin: async () => ({ count: 0, exact: true }),
      groups: async () => [],
      cancel: async () => undefined,
      close: async () => undefined,
    } as TableReader;
  }
}

/** A case that records the ids of the rows it is given. */
function recordingCase(name: string): { session: CaseSession; stored: Set<string> } {
  const stored = new Set<string>();
  const session = {
    path: temp.file(`${name}.auditscope`),
    import: async ([file]: string[]) => {
      const ids = readFileSync(file as string, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { id: string }).id);
      const fresh = ids.filter((id) => !stored.has(id));
      fresh.forEach((id) => stored.add(id));
      return {
        files: [{ status: 'complete' }],
        totals: { accepted: fresh.length, duplicates: ids.length - fresh.length, rejected: 0 },
      };
    },
  } as unknown as CaseSession;
  return { session, stored };
}

describe('a table tail over a scripted server', () => {
  it('reads a row that committed behind a long poll, in the window of the poll after it', async () => {
    const table = new ScriptedTable();
    const { session, stored } = recordingCase('long-poll');
    const tail = new TableTail(session, {
      connect: async () => table.reader(),
      table: 'audit',
      mapping: { time: 'at', actor: 'id' },
      overlapMs: 10_000,
      pageRows: 20,
      pollMs: 0,
      from: iso(START - 1_000_000),
    });
    // For 30 s the application writes 20 rows a second, as fast as the tail reads them: the
    // first poll reads one full page a second, 30 of them. Its 15th second, a transaction that
    // began 4 s earlier commits: its row is 4 s behind where the poll reads, 11 s into the run.
    let second = 0;
    table.beforeRead = () => {
      if (second >= 30) return;
      second++;
      table.clock += 1_000_000;
      for (let i = 0; i < 20; i++) table.add(`row-${second}-${i}`, table.clock - 1_000_000 + i * 50_000);
      if (second === 15) table.add('late', table.clock - 4_000_000);
    };
    await tail.step();
    expect(stored.has('late')).toBe(false); // committed after the poll had read past it
    await tail.step();
    expect(stored.has('late')).toBe(true);
    expect(stored.size).toBe(30 * 20 + 1);
    await tail.stop();
  });

  /** A tail polled by the test (`step`) of a scripted table, from a minute before START. */
  function steppedTail(name: string): { table: ScriptedTable; session: CaseSession; tail: TableTail } {
    const table = new ScriptedTable();
    const { session } = recordingCase(name);
    const tail = new TableTail(session, {
      label: 'app · audit',
      connect: async () => table.reader(),
      table: 'audit',
      mapping: { time: 'at', actor: 'id' },
      pollMs: 0,
      from: iso(START - 60_000_000),
    });
    return { table, session, tail };
  }

  it('resumes from the spool before one a power cut left empty or cut short', async () => {
    const { table, session, tail } = steppedTail('torn-spool');
    table.add('first', START - 30_000_000);
    await tail.step();
    table.add('second', START - 20_000_000);
    await tail.step();
    await tail.stop();
    const dir = `${session.path}.tail`;
    const spools = readdirSync(dir).sort();
    expect(spools).toHaveLength(2);
    const imported = new Set(spools.map((name) => path.resolve(dir, name)));
    expect(lastStoredTime(session.path, 'app · audit', 'at', imported)).toBe(iso(START - 20_000_000));
    writeFileSync(path.join(dir, spools[1] as string), '{"id":"sec');
    expect(lastStoredTime(session.path, 'app · audit', 'at', imported)).toBe(iso(START - 30_000_000));
    writeFileSync(path.join(dir, spools[1] as string), '');
    expect(lastStoredTime(session.path, 'app · audit', 'at', imported)).toBe(iso(START - 30_000_000));
  });

  it('waits for the disk with its first spool, then with one at most every few seconds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const durable = vi.mocked(writeDurably);
      durable.mockClear();
      const { table, session, tail } = steppedTail('spool-syncs');
      for (let i = 0; i < 3; i++) {
        table.add(`row${i}`, START - 30_000_000 + i * 1_000_000);
        await tail.step();
      }
      expect(durable).toHaveBeenCalledTimes(1);
      vi.setSystemTime(Date.now() + 5000);
      table.add('later', START - 20_000_000);
      await tail.step();
      expect(durable).toHaveBeenCalledTimes(2);
      await tail.stop();
      expect(readdirSync(`${session.path}.tail`)).toHaveLength(4);
      expect(tail.status.events).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });
});
