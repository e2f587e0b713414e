// A tail's file (a table tail's spool, a followed file's batch) is stored in one transaction while
// its parse worker sends it in small batches: the case shows all of it or none of it, a file that
// fails partway stores nothing, and every other write waits for it and still lands.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { openCaseForReading } from '../../electron/engine/store/case-db.ts';
import { verifyJournal } from '../../electron/engine/store/journal.ts';
import { parseSearch } from '../../shared/query/parse-search.ts';
import { dataset } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';

const oktaLines = readFileSync(
  dataset('okta-system-log', 'cribl-okta-rest', 'okta_system_log.part1.ndjson'),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '');

/** `count` distinct events: the real Okta records again, each copy with its own uuid and second. */
function oktaEvents(count: number, copy: string): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const record = JSON.parse(oktaLines[i % oktaLines.length] as string) as Record<string, unknown>;
    record.uuid = `${copy}-${i}`;
    record.published = new Date(Date.parse(record.published as string) + i * 1000).toISOString();
    lines.push(JSON.stringify(record));
  }
  return lines.join('\n') + '\n';
}

describe("a tail's file in one transaction", () => {
  const temp = tempDir();
  let session: CaseSession;
  beforeAll(async () => {
    session = await CaseSession.open(temp.file('tail-batch.auditscope'));
  });
  afterAll(async () => {
    await session.close();
    temp.cleanup();
  });

  it('shows none of the file, then all of it, never the batches in between', async () => {
    const file = temp.file('spool-1.ndjson');
    writeFileSync(file, oktaEvents(6000, 'spool-1'));
    const reader = openCaseForReading(temp.file('tail-batch.auditscope'));
    const count = reader.prepare('SELECT count(*) FROM events').pluck();
    const seen = new Set<number>();
    let importing = true;
    const watching = (async () => {
      while (importing) {
        seen.add(count.get() as number);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const summary = await session.import([file], { format: 'okta', tailBatch: true });
    importing = false;
    await watching;
    seen.add(count.get() as number);
    reader.close();
    expect(summary.totals).toMatchObject({ accepted: 6000, rejected: 0 });
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 6000]);
  });

  it('stores nothing of a file that fails partway (a plain import keeps what came before)', async () => {
    const whole = gzipSync(oktaEvents(6000, 'spool-2'));
    const truncated = whole.subarray(0, Math.floor(whole.length * 0.7));
    const tailFile = temp.file('spool-2.ndjson.gz');
    writeFileSync(tailFile, truncated);
    const before = (await session.read.stats()).events;
    const failed = await session.import([tailFile], { format: 'okta', tailBatch: true });
    expect(failed.files[0]).toMatchObject({ status: 'failed', accepted: 0, duplicates: 0 });
    expect(failed.files[0]?.error).toMatch(/truncated/i);
    expect((await session.read.stats()).events).toBe(before);
    expect((await session.read.imports()).at(-1)).toMatchObject({ status: 'failed', accepted: 0 });

    const plainFile = temp.file('plain-2.ndjson.gz');
    writeFileSync(plainFile, truncated);
    const plain = await session.import([plainFile], { format: 'okta' });
    expect(plain.files[0]?.status).toBe('failed');
    expect(plain.files[0]?.accepted).toBeGreaterThan(500);
    expect((await session.read.stats()).events).toBe(before + (plain.files[0]?.accepted ?? 0));
  });

  it('lets imports, annotations and notes made meanwhile wait for it: they stay when it fails', async () => {
    // A tail's file that fails partway, so that a write let into its transaction would go too.
    const tailFile = temp.file('spool-3.ndjson.gz');
    const whole = gzipSync(oktaEvents(6000, 'spool-3'));
    writeFileSync(tailFile, whole.subarray(0, Math.floor(whole.length * 0.9)));
    const plainFile = temp.file('plain-3.ndjson');
    writeFileSync(plainFile, oktaEvents(3000, 'plain-3'));
    const before = (await session.read.stats()).events;
    const notesBefore = (await session.read.caseNotes()).length;
    // Its first batch stored: its transaction is open, with most of the file still to come.
    const firstBatch = new Promise<void>((resolve) => {
      const stop = session.onImportProgress((progress) => {
        if (progress.path !== tailFile || progress.accepted === 0) return;
        stop();
        resolve();
      });
    });
    const tail = session.import([tailFile], { format: 'okta', tailBatch: true });
    await firstBatch;
    const plain = session.import([plainFile], { format: 'okta' });
    // Sent while the tail's file is being stored: they wait for it to end.
    const annotations = Array.from({ length: 20 }, (_, i) =>
      session.annotate([i + 1], { addTag: 'reviewed', note: `checked ${i}` }),
    );
    const note = session.saveNote({ time: null, body: 'written during a tail batch' });
    const [tailed, imported] = await Promise.all([tail, plain]);
    await Promise.all(annotations);
    await note;
    expect(tailed.files[0]).toMatchObject({ status: 'failed', accepted: 0 });
    expect(imported.totals).toMatchObject({ accepted: 3000, rejected: 0 });
    expect((await session.read.stats()).events).toBe(before + 3000);
    const tagged = (await session.read.tags()).find((t) => t.name === 'reviewed');
    expect(tagged?.count).toBe(20);
    expect((await session.read.caseNotes()).length).toBe(notesBefore + 1);
    const reader = openCaseForReading(temp.file('tail-batch.auditscope'));
    expect(verifyJournal(reader).broken).toBeNull();
    reader.close();
  });

  it("finds a tail's events by free text while the index lags behind it, and the index catches up", async () => {
    // While a tail runs the free-text index takes paced steps (see writer-worker): a search
    // right after a batch is stored scans what the index does not cover yet.
    const size = 3000;
    const search = (text: string) => {
      const parsed = parseSearch(text);
      if (!parsed.ok || !parsed.filter) throw new Error(`not a search: ${text}`);
      return session.read.total({ filter: parsed.filter });
    };
    for (let b = 1; b <= 4; b++) {
      const file = temp.file(`fts-spool-${b}.ndjson`);
      // Each event's uuid is `ftsrunb<b>-<i>`: the token ftsrunb<b> is in every event of batch b.
      writeFileSync(file, oktaEvents(size, `ftsrunb${b}`));
      const summary = await session.import([file], { format: 'okta', tailBatch: true });
      expect(summary.totals.accepted).toBe(size);
      expect(await search(`ftsrunb${b}`)).toBe(size);
    }
    await expect.poll(async () => (await session.ftsStatus()).ready, { timeout: 30_000 }).toBe(true);
    for (let b = 1; b <= 4; b++) expect(await search(`ftsrunb${b}`)).toBe(size);
  });
});
