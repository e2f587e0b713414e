import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import path from 'node:path';
import {
  SourceConnection,
  type SourceInfo,
  type SourceMapping,
  type SourceTableInfo,
  DEFAULT_PORT,
  isServerKind,
  SOURCE_KIND_LABEL,
} from '../../../shared/domain/source.ts';
import type { ImportSummary } from '../../../shared/domain/import.ts';
import type { EventQuery } from '../../../shared/domain/query.ts';
import type { CaseSession } from '../case-session.ts';
import { readJsonFile, writeJsonFile } from '../cases/json-file.ts';
import { proposeMapping } from '../ingest/normalize/generic.ts';
import { openServerReader } from './open-reader.ts';
import {
  browsePage,
  previewRows,
  remoteHistogram,
  remoteTopValues,
  type BrowseRequest,
  type PreviewRow,
} from './browse-table.ts';
import type { ServerSearch } from './compile-server.ts';
import type { SecretStore } from './secrets.ts';
import { openSqliteReader } from './sqlite-reader.ts';
import { ownColumns, type PagePosition, type SourceRow, type TableReader } from './table-reader.ts';

/** Rows fetched per round trip when pulling a table into a case. */
const PULL_PAGE = 5000;
const PREVIEW_ROWS = 20;
/** How long browsing waits for an exact count before taking the server's estimate. */
const COUNT_MS = 5_000;
/** How long a cancelled statement is given to fail with its own error before its connection is closed. */
const CANCEL_SETTLE_MS = 1000;
/** How long a reader kept for browsing a source stays open unused. */
const BROWSE_IDLE_MS = 60_000;

export type SourceDraft = Omit<SourceConnection, 'id'> & { id?: string | undefined };

export interface PullResult {
  /** The rows as pulled (NDJSON), kept beside the case: what the import recorded and hashed. */
  file: string;
  rows: number;
  summary: ImportSummary;
}

/**
 * The saved sources (in a small JSON file, without passwords) and what can be done with them:
 * look inside, preview a mapping, pull a slice into the open case. Every connection is read-only
 * and closed after each operation.
 */
export class SourceRegistry {
  private sources: SourceConnection[];
  private readonly file: string | undefined;
  private readonly secrets: SecretStore;
  /** Readers kept for reading in place, by source and lane (see readInPlace). */
  private readonly browsers = new Map<
    string,
    {
      id: string;
      reader: Promise<TableReader>;
      timer: NodeJS.Timeout | undefined;
      /** The calls under way, oldest first: the first is the statement the server runs. */
      calls: Set<Promise<unknown>>;
    }
  >();

  constructor(file: string | undefined, secrets: SecretStore) {
    this.file = file;
    this.secrets = secrets;
    const saved = file === undefined ? [] : readJsonFile(file);
    this.sources = Array.isArray(saved)
      ? saved.flatMap((s) => {
          const parsed = SourceConnection.safeParse(s);
          return parsed.success ? [parsed.data] : [];
        })
      : [];
  }

  list(): SourceInfo[] {
    return this.sources.map((s) => this.info(s));
  }

  get(id: string): SourceConnection {
    const found = this.sources.find((s) => s.id === id);
    if (!found) throw new Error(`no source ${id}`);
    return found;
  }

  /**
   * Saves a new or changed source. `password`: a new one to keep, null to forget the kept one,
   * undefined to leave it as it is.
   */
  save(draft: SourceDraft, password?: string | null): SourceInfo {
    const id = draft.id ?? `src-${randomBytes(6).toString('hex')}`;
    // Only the fields of its kind: a PostgreSQL source carries no file to be "re-kinded" later.
    const { host, port, database, user, file, certificate, ...common } = draft;
    const source = SourceConnection.parse({
      ...common,
      id,
      ...(isServerKind(draft.kind) ? { host, port, database, user } : { file }),
      ...(isServerKind(draft.kind) && draft.tls === 'pinned' ? { certificate } : {}),
    });
    if (source.tls === 'pinned' && !source.certificate)
      throw new Error('name the certificate file to pin, or choose another TLS mode');
    if (isServerKind(source.kind) && !(source.host && source.database && source.user)) {
      throw new Error(`a ${SOURCE_KIND_LABEL[source.kind]} source needs a host, a database and a user`);
    }
    if (source.kind === 'sqlite' && !source.file) throw new Error('an SQLite source needs its database file');
    const index = this.sources.findIndex((s) => s.id === id);
    if (draft.id !== undefined && index < 0) throw new Error(`no source ${draft.id}`);
    const before = this.sources[index];
    this.sources =
      index < 0 ? [...this.sources, source] : this.sources.map((s) => (s.id === id ? source : s));
    // A changed source is connected anew.
    this.closeBrowsing(id);
    if (password !== undefined) this.secrets.set(id, password ?? undefined);
    // A kept password belongs to the server it was given for: pointed elsewhere, it is forgotten.
    else if (before !== undefined && !sameServer(before, source)) this.secrets.set(id, undefined);
    this.persist();
    return this.info(source);
  }

  remove(id: string): void {
    this.closeBrowsing(id);
    this.sources = this.sources.filter((s) => s.id !== id);
    this.secrets.set(id, undefined);
    this.persist();
  }

  /** Connects (the "test"), lists the tables and, for `table`, its columns, key and a proposed mapping. */
  async inspect(
    id: string,
    table?: string,
  ): Promise<{ location: string; tables: string[]; table?: SourceTableInfo }> {
    return this.with(id, async (reader) => {
      const tables = await reader.tables();
      if (table === undefined) return { location: reader.location, tables };
      const columns = await reader.columns(table);
      const key = await reader.keyColumn(table);
      return {
        location: reader.location,
        tables,
        table: {
          table,
          columns,
          ...(key ? { key } : {}),
          proposed: proposeMapping(columns.map((c) => c.name)),
        },
      };
    });
  }

  /** The first rows of `table` and the events they become under `mapping`. */
  async preview(id: string, table: string, mapping: SourceMapping): Promise<PreviewRow[]> {
    return this.with(id, async (reader) => {
      const rows = await reader.rows(table, {
        ...(await tableOrder(reader, table, mapping)),
        limit: PREVIEW_ROWS,
      });
      return previewRows(rows, mapping);
    });
  }

  /** A page of a table read in place, the search run on the server (see browsePage). */
  browse(id: string, table: string, mapping: SourceMapping, request: BrowseRequest) {
    return this.readInPlace(id, (reader) => browsePage(reader, table, mapping, request));
  }

  /** The matching rows per time bucket, counted by the server (see remoteHistogram). */
  histogram(id: string, table: string, search: ServerSearch) {
    return this.readInPlace(id, (reader) => remoteHistogram(reader, table, search), 'aggregate');
  }

  /** A field's most frequent values among the matching rows, counted by the server. */
  topValues(id: string, table: string, search: ServerSearch, field: string, limit: number) {
    return this.readInPlace(
      id,
      (reader) => remoteTopValues(reader, table, search, field, limit),
      'aggregate',
    );
  }

  /** How many rows match, counted by the server; past COUNT_MS, the server's estimate. */
  count(id: string, table: string, search: ServerSearch) {
    return this.readInPlace(
      id,
      async (reader) => {
        const { timeColumn } = await tableOrder(reader, table, search.mapping);
        return reader.countWithin(table, { timeColumn, search, timeoutMs: COUNT_MS });
      },
      'aggregate',
    );
  }

  /**
   * Copies the rows of `table` (within [from, to), at most `limit`) into the open case: written
   * to `<case>.pulls/` as NDJSON beside a provenance record (source, table, mapping, range, time,
   * row count, SHA-256), then imported from there like any file, with the mapping. The mapping is
   * saved with the source for next time.
   */
  async pull(
    session: CaseSession,
    id: string,
    table: string,
    mapping: SourceMapping,
    options: {
      from?: string;
      to?: string;
      limit: number;
      jobId?: string;
      /** The workspace's filter and window (epoch µs), run on the server: a slice of the table. */
      query?: Pick<EventQuery, 'filter' | 'from' | 'to'>;
    },
  ): Promise<PullResult> {
    const source = this.get(id);
    const pulledAt = new Date();
    const dir = `${session.path}.pulls`;
    mkdirSync(dir, { recursive: true });
    const stamp = pulledAt.toISOString().replace(/[:.]/g, '-');
    const file = path.join(dir, `${stamp}-${safeName(source.name)}-${safeName(table)}.ndjson`);
    const partial = `${file}.partial`;
    let pulledRows: { rows: number; sha256: string; location: string };
    try {
      pulledRows = await this.with(id, async (reader) => {
        const { timeColumn, key } = await tableOrder(reader, table, mapping);
        const out = createWriteStream(partial, { flags: 'wx' });
        // Until the end, a write error is kept here and ends the pull (never an uncaught error).
        let failure: Error | undefined;
        out.on('error', (error) => {
          failure ??= error;
        });
        const write = (text: string): Promise<void> =>
          new Promise((resolve, reject) => {
            if (failure) return reject(failure);
            if (out.write(text)) return resolve();
            const done = (): void => {
              out.off('drain', done);
              out.off('close', done);
              if (failure) reject(failure);
              else resolve();
            };
            out.on('drain', done);
            out.on('close', done);
          });
        const hash = createHash('sha256');
        let count = 0;
        let position: PagePosition;
        try {
          while (count < options.limit) {
            const page = await reader.rows(table, {
              timeColumn,
              // Without a key, identical rows are told apart by their copy number (see `ownColumns`).
              ...(key ? { key } : { numberCopies: true }),
              ...(options.from ? { from: options.from } : {}),
              ...(options.to ? { to: options.to } : {}),
              position,
              limit: Math.min(PULL_PAGE, options.limit - count),
              ...(options.query ? { search: { ...options.query, mapping } } : {}),
            });
            if (page.length === 0) break;
            const last = page[page.length - 1] as SourceRow;
            position = key ? { time: last[timeColumn], key: last[key] } : { offset: count + page.length };
            // SQLite's rowid was read only to page by; the record is the row's own columns (and a
            // copy's number).
            const text = page.map((row) => JSON.stringify(ownColumns(row))).join('\n') + '\n';
            hash.update(text);
            await write(text);
            count += page.length;
          }
        } finally {
          out.end();
          await finished(out).catch(() => undefined);
        }
        if (failure) throw failure;
        return { rows: count, sha256: hash.digest('hex'), location: reader.location };
      });
      // Named as complete only once it is: an interrupted pull never looks like a whole one.
      renameSync(partial, file);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
    const { rows, sha256, location } = pulledRows;
    const provenance = {
      source: location,
      sourceName: source.name,
      table,
      mapping,
      from: options.from ?? null,
      to: options.to ?? null,
      // The search as run on the server, exactly (its filter tree; the window in epoch µs).
      query: options.query ?? null,
      limit: options.limit,
      pulledAt: pulledAt.toISOString(),
      file,
      rows,
      sha256,
    };
    await session.journal('source.pull', provenance);
    writeFileSync(`${file}.provenance.json`, `${JSON.stringify(provenance, null, 2)}\n`);
    this.save({ ...source, table, mapping });
    const summary = await session.import([file], {
      format: 'generic',
      mapping: mapping as Record<string, string>,
      ...(options.jobId ? { jobId: options.jobId } : {}),
    });
    return { file, rows, summary };
  }

  /** Opens a new read-only reader on a saved source (a tail opens one again after each failure). */
  connector(id: string): {
    name: string;
    kind: SourceConnection['kind'];
    connect: () => Promise<TableReader>;
  } {
    const source = this.get(id);
    return {
      name: source.name,
      kind: source.kind,
      connect: () => {
        if (!isServerKind(source.kind)) return openSqliteReader(source.file as string);
        const target = {
          host: source.host as string,
          port: source.port ?? DEFAULT_PORT[source.kind],
          database: source.database as string,
          user: source.user as string,
          password: this.secrets.get(id, source.name),
          tls: source.tls,
          certificate: source.certificate,
        };
        return openServerReader({ kind: source.kind, target });
      },
    };
  }

  /**
   * Runs `use` on a reader kept open for reading this source in place (page after page would
   * otherwise connect each time), closed after a minute unused, and dropped after any failure.
   * Each lane has its own connection, whose statements run one after another: counts and charts
   * ('aggregate') never queue ahead of the rows on screen ('rows'), as with a case's two threads.
   */
  async readInPlace<T>(
    id: string,
    use: (reader: TableReader) => Promise<T>,
    lane: 'rows' | 'aggregate' = 'rows',
  ): Promise<T> {
    const name = `${id}\n${lane}`;
    let kept = this.browsers.get(name);
    if (!kept) {
      const opening = this.connector(id).connect();
      kept = { id, reader: opening, timer: undefined, calls: new Set() };
      this.browsers.set(name, kept);
    }
    const entry = kept;
    clearTimeout(entry.timer);
    const close = (): void => {
      if (this.browsers.get(name) === entry) this.browsers.delete(name);
      void entry.reader.then((r) => r.close()).catch(() => undefined);
    };
    const call = entry.reader.then(use);
    entry.calls.add(call);
    try {
      return await call;
    } catch (error) {
      close();
      throw error;
    } finally {
      entry.calls.delete(call);
      if (this.browsers.get(name) === entry) {
        entry.timer = setTimeout(close, BROWSE_IDLE_MS);
        entry.timer.unref();
      }
    }
  }

  /**
   * Stops what browsing this source is running: the server cancels the statement in progress,
   * and the reader is dropped, failing the calls queued behind it (the next one reconnects).
   */
  async cancel(id: string): Promise<void> {
    const lanes = [...this.browsers].filter(([, entry]) => entry.id === id);
    await Promise.all(
      lanes.map(async ([name, entry]) => {
        this.browsers.delete(name);
        clearTimeout(entry.timer);
        const reader = await entry.reader.catch(() => undefined);
        if (!reader) return;
        const running = entry.calls.values().next().value;
        try {
          await reader.cancel();
          // The cancelled statement's own error reaches its caller before the connection goes
          // (closed at once, it could be answered "Connection terminated" instead).
          await Promise.race([running?.catch(() => undefined), delay(CANCEL_SETTLE_MS)]);
        } finally {
          void reader.close().catch(() => undefined);
        }
      }),
    );
  }

  /** Closes the reader kept for browsing a source (all of them without an id). */
  closeBrowsing(id?: string): void {
    for (const [name, entry] of this.browsers) {
      if (id !== undefined && entry.id !== id) continue;
      clearTimeout(entry.timer);
      this.browsers.delete(name);
      void entry.reader.then((r) => r.close()).catch(() => undefined);
    }
  }

  private async with<T>(id: string, use: (reader: TableReader) => Promise<T>): Promise<T> {
    const reader = await this.connector(id).connect();
    try {
      return await use(reader);
    } finally {
      await reader.close();
    }
  }

  private info(source: SourceConnection): SourceInfo {
    return { ...source, hasPassword: this.secrets.get(source.id, source.name) !== undefined };
  }

  private persist(): void {
    if (this.file !== undefined) writeJsonFile(this.file, this.sources);
  }
}

/** Rows are read in time order (then by key, when the table has one): the time must be a column. */
export async function tableOrder(
  reader: TableReader,
  table: string,
  mapping: SourceMapping,
): Promise<{ timeColumn: string; key?: string }> {
  const columns = (await reader.columns(table)).map((c) => c.name);
  if (mapping.time === undefined || !columns.includes(mapping.time)) {
    throw new Error('map the event time to one of the table’s columns: rows are read in time order');
  }
  const key = await reader.keyColumn(table);
  return { timeColumn: mapping.time, ...(key ? { key } : {}) };
}

function sameServer(a: SourceConnection, b: SourceConnection): boolean {
  return (['kind', 'host', 'port', 'database', 'user', 'tls', 'certificate', 'file'] as const).every(
    (field) => a[field] === b[field],
  );
}

function safeName(text: string): string {
  return text.replace(/[^\w.-]+/g, '_').slice(0, 60);
}
