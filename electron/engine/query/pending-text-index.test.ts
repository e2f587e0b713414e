// Free text while the case's index lags behind (a fast tail paces it): the events it lacks are
// indexed on the reader's connection, so a search finds words exactly as the full index will, not
// the substrings a scan would find.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import { openCaseForReading, openCaseForWriting, type CaseDb } from '../store/case-db.ts';
import { EventWriter } from '../store/event-writer.ts';
import { COL, EVENT_COLUMNS, type EventRow } from '../store/event-row.ts';
import { FtsIndexer } from '../store/fts-indexer.ts';
import { deleteEvents } from '../store/delete-events.ts';
import { Journal } from '../store/journal.ts';
import { CaseQueries } from './case-queries.ts';
import { PendingTextIndex } from './pending-text-index.ts';

// Real Okta System Log records, each with its uuid replaced by `pendx<i>`: one word per event,
// and a substring of many others' (pendx1 is in pendx10…pendx19, pendx100…).
const oktaRecords = readFileSync(
  dataset('okta-system-log', 'cribl-okta-rest', 'okta_system_log.part1.ndjson'),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '');

function rows(from: number, count: number): EventRow[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const record = JSON.parse(oktaRecords[i % oktaRecords.length] as string) as Record<string, unknown>;
    record.uuid = `pendx${i}`;
    const raw = JSON.stringify(record);
    const row: EventRow = new Array<null>(EVENT_COLUMNS.length).fill(null);
    row[COL.event_id] = `okta:pendx${i}`;
    row[COL.time] = Date.parse(record.published as string) * 1000 + i;
    row[COL.time_original] = record.published as string;
    row[COL.source] = 'okta';
    row[COL.action] = record.eventType as string;
    row[COL.category] = 'other';
    row[COL.outcome] = 'unknown';
    row[COL.raw] = raw;
    row[COL.encoding_error] = 0;
    row[COL.byte_offset] = i;
    row[COL.line] = i + 1;
    return row;
  });
}

describe('free text over events the case index does not cover yet', () => {
  const temp = tempDir();
  const path = temp.file('pending.auditscope');
  let writerDb: CaseDb;
  let writer: EventWriter;
  let fts: FtsIndexer;
  let importId: number;
  beforeAll(() => {
    writerDb = openCaseForWriting(path);
    writer = new EventWriter(writerDb);
    fts = new FtsIndexer(writerDb);
    importId = writer.beginImport({ path: 'spool', format: 'okta', container: 'none' });
  });
  afterAll(() => {
    writerDb.close();
    temp.cleanup();
  });

  const total = (queries: CaseQueries, text: string): number => {
    const parsed = parseSearch(text);
    if (!parsed.ok || !parsed.filter) throw new Error(`not a search: ${text}`);
    return queries.total({ filter: parsed.filter });
  };
  const SEARCHES = ['pendx1', 'pendx1*', '"pendx42"', 'pendx', 'okta', 'pendx7 -pendx70'];

  it('finds words as the full index does, while the index lags and after it catches up', () => {
    writer.insertBatch(importId, rows(0, 1500), []);
    fts.indexNext(600); // the index covers the first 600 events only
    const reader = openCaseForReading(path);
    const lagging = new CaseQueries(reader);
    expect(lagging.ftsReady()).toBe(false);
    const whileLagging = SEARCHES.map((text) => total(lagging, text));
    // More events arrive, unindexed: the next search indexes them too.
    writer.insertBatch(importId, rows(1500, 500), []);
    const grown = SEARCHES.map((text) => total(lagging, text));

    while (fts.indexNext(5000) > 0);
    const caughtUp = new CaseQueries(reader);
    expect(caughtUp.ftsReady()).toBe(true);
    expect(grown).toEqual(SEARCHES.map((text) => total(caughtUp, text)));
    expect(grown[0]).toBe(1); // the word pendx1, not the 1,111 events it is a substring of
    expect(grown[1]).toBe(1 + 10 + 100 + 1000); // pendx1, pendx10–19, pendx100–199, pendx1000–1999
    expect(grown[3]).toBe(0);
    expect(grown[5]).toBe(1);
    // Before the last 500 arrived: the same searches over the first 1,500.
    expect(whileLagging[0]).toBe(1);
    expect(whileLagging[1]).toBe(1 + 10 + 100 + 500);
    reader.close();
  });

  it('deletes by a search the events the workspace counted: words, not substrings', () => {
    writer.insertBatch(importId, rows(2000, 300), []); // unindexed, like a paced tail's
    const reader = openCaseForReading(path);
    const counted = total(new CaseQueries(reader), 'pendx220');
    expect(counted).toBe(1); // a scan would take pendx2200–2209 too
    const parsed = parseSearch('pendx220');
    if (!parsed.ok || !parsed.filter) throw new Error('not a search');
    const deleted = deleteEvents(writerDb, new Journal(writerDb), {
      kind: 'query',
      query: { filter: parsed.filter },
    });
    expect(deleted.events).toBe(counted);
    reader.close();
  });

  it('declines when too many events wait, and restarts once the case index passes all it holds', () => {
    const reader = openCaseForReading(path);
    const pending = new PendingTextIndex(reader, 100);
    const held = (): number => Number(reader.prepare('SELECT count(*) FROM temp.pending_fts').pluck().get());
    expect(pending.cover(0, 101)).toBe(false); // free text scans instead
    expect(pending.cover(0, 100)).toBe(true);
    expect(held()).toBe(100);
    expect(pending.cover(50, 120)).toBe(true); // only the 20 new events are added
    expect(held()).toBe(120);
    expect(pending.cover(130, 150)).toBe(true); // the case index passed all it held: it starts again
    expect(held()).toBe(20);
    reader.close();
  });
});
