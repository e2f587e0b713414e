import { createHash } from 'node:crypto';
import type { DeletionSummary, DeletionTarget } from '../../../shared/domain/deletion.ts';
import type { EventQuery } from '../../../shared/domain/query.ts';
import { compileSqlite } from '../query/compile-sqlite.ts';
import { preparedOnce, type CaseDb } from './case-db.ts';
import type { Journal } from './journal.ts';
import { FtsIndexer, freeTextIndexComplete } from './fts-indexer.ts';

const MICROS_PER_DAY = 86_400e6;
const FTS_CATCH_UP_STEP = 10_000;
/** Bumped by every deletion: readers drop position checkpoints learned before it. */
export const DELETIONS_KEY = 'deletions';
/** The highest rowid ever used, kept once deletions may leave it unused (never given out again). */
export const ROWID_HIGH_WATER_KEY = 'rowid_high_water';

/** A mark that changes whenever events are deleted (what incremental readers check to start again). */
export function deletionsMark(db: CaseDb): unknown {
  return preparedOnce(db, 'SELECT value FROM meta WHERE key = ?').pluck().get(DELETIONS_KEY);
}

/** The query a retention rule stands for, relative to `now` (epoch ms). */
export function retentionQuery(rule: { days: number; category?: string }, now: number): EventQuery {
  const before = now * 1000 - rule.days * MICROS_PER_DAY;
  return {
    to: before,
    ...(rule.category === undefined
      ? {}
      : { filter: { kind: 'field', field: 'category', op: 'eq', value: rule.category } }),
  };
}

/** Floor division in SQL (SQLite's `/` truncates toward zero; times before 1970 are negative). */
const floorDiv = (expr: string, by: number): string => `((${expr}) / ${by} - ((${expr}) % ${by} < 0))`;

/**
 * Removes events from the case — rows, their marks and tags, their free-text entries and their
 * share of the pre-aggregated counts — in one transaction with its journal entry, which names the
 * target and pins the deleted ids by hash. The input files are never touched; the imports keep
 * what they recorded when they ran.
 */
export function deleteEvents(
  db: CaseDb,
  journal: Journal,
  target: DeletionTarget,
  now = Date.now(),
): DeletionSummary {
  // A search deletes the words it names, as the workspace counted them (with the free-text index,
  // or the reader's own index of the events it lacks: PendingTextIndex), never the substrings a
  // scan would also take: the index covers every event first.
  if (target.kind === 'query') {
    const fts = new FtsIndexer(db);
    while (fts.indexNext(FTS_CATCH_UP_STEP) > 0);
  }
  return db.transaction(() => {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS doomed (rowid INTEGER PRIMARY KEY); DELETE FROM temp.doomed;');
    if (target.kind === 'events') {
      const insert = db.prepare('INSERT OR IGNORE INTO temp.doomed SELECT rowid FROM events WHERE rowid = ?');
      for (const seq of target.seqs) insert.run(seq);
    } else {
      const query = target.kind === 'query' ? target.query : retentionQuery(target, now);
      const compiled = compileSqlite(query, { ftsReady: freeTextIndexComplete(db) });
      db.prepare(`INSERT INTO temp.doomed SELECT rowid FROM events WHERE ${compiled.where}`).run(
        ...compiled.params,
      );
    }

    const hash = createHash('sha256');
    const firstIds: string[] = [];
    let events = 0;
    for (const id of db
      .prepare('SELECT event_id FROM events WHERE rowid IN (SELECT rowid FROM temp.doomed) ORDER BY rowid')
      .pluck()
      .iterate() as Iterable<string>) {
      hash.update(`${id}\n`);
      if (firstIds.length < 1000) firstIds.push(id);
      events++;
    }
    const summary = { events, idsSha256: hash.digest('hex') };
    if (events === 0) return summary;

    // Take the events' share out of the per-minute and per-hour counts.
    const minute = floorDiv('time', 60_000_000);
    const perMinute = db
      .prepare(
        `SELECT ${minute} AS minute, outcome, category, count(*) AS n FROM events
          WHERE rowid IN (SELECT rowid FROM temp.doomed) GROUP BY 1, 2, 3`,
      )
      .all() as { minute: number; outcome: string; category: string; n: number }[];
    const subtractMinute = db.prepare(
      'UPDATE minute_counts SET count = count - ? WHERE minute = ? AND outcome = ? AND category = ?',
    );
    const subtractHour = db.prepare(
      'UPDATE hour_counts SET count = count - ? WHERE hour = ? AND outcome = ? AND category = ?',
    );
    for (const row of perMinute) {
      subtractMinute.run(row.n, row.minute, row.outcome, row.category);
      subtractHour.run(row.n, Math.floor(row.minute / 60), row.outcome, row.category);
    }
    db.exec('DELETE FROM minute_counts WHERE count <= 0; DELETE FROM hour_counts WHERE count <= 0;');

    // Rowids are never given out again (event-writer.ts reads this): marks cached by the page,
    // result snapshots ("rowids only grow") and the free-text index all rely on it.
    db.prepare(
      `INSERT INTO meta (key, value) VALUES (?, (SELECT max(rowid) FROM events))
       ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
    ).run(ROWID_HIGH_WATER_KEY);
    db.exec(`
      DELETE FROM events_fts WHERE rowid IN (SELECT rowid FROM temp.doomed);
      DELETE FROM marks WHERE event_rowid IN (SELECT rowid FROM temp.doomed);
      DELETE FROM event_tags WHERE event_rowid IN (SELECT rowid FROM temp.doomed);
      DELETE FROM tags WHERE NOT EXISTS (SELECT 1 FROM event_tags WHERE tag_id = tags.id);
      DELETE FROM events WHERE rowid IN (SELECT rowid FROM temp.doomed);
      DELETE FROM temp.doomed;
    `);
    db.prepare(
      `INSERT INTO meta (key, value) VALUES (?, '1')
       ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`,
    ).run(DELETIONS_KEY);

    journal.append(
      'delete',
      {
        target: target.kind === 'events' ? { kind: 'events', count: target.seqs.length } : target,
        ...(target.kind === 'retention' ? { query: retentionQuery(target, now) } : {}),
        events,
        idsSha256: summary.idsSha256,
        ids: firstIds,
      },
      now,
    );
    return summary;
  })();
}
