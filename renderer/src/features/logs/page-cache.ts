import type { StoredEvent } from '../../../../shared/contract.ts';

export type FetchRows = (start: number, limit: number) => Promise<StoredEvent[]>;

/**
 * Rows of one result, fetched by page on demand and kept in a bounded LRU: the table asks for any
 * position, gets the row when its page is here, and a re-render when a missing page arrives.
 * Memory stays at `maxPages × pageSize` rows whatever the result size.
 */
export class PageCache {
  readonly pageSize: number;
  private readonly maxPages: number;
  private readonly fetchRows: FetchRows;
  private readonly onLoad: () => void;
  private readonly pages = new Map<number, StoredEvent[]>();
  private readonly loading = new Set<number>();
  private disposed = false;

  constructor(fetchRows: FetchRows, onLoad: () => void, pageSize = 200, maxPages = 40) {
    this.fetchRows = fetchRows;
    this.onLoad = onLoad;
    this.pageSize = pageSize;
    this.maxPages = maxPages;
  }

  /** The row at `position`, or undefined while its page loads (the load is started here). */
  row(position: number): StoredEvent | undefined {
    const pageIndex = Math.floor(position / this.pageSize);
    const page = this.pages.get(pageIndex);
    if (page === undefined) {
      this.load(pageIndex);
      return undefined;
    }
    // Refresh its place in the LRU order.
    this.pages.delete(pageIndex);
    this.pages.set(pageIndex, page);
    return page[position - pageIndex * this.pageSize];
  }

  /** A page fetched along with the result's count, so the table paints its first rows at once. */
  seed(pageIndex: number, rows: StoredEvent[]): void {
    if (!this.disposed) this.pages.set(pageIndex, rows);
  }

  /** Starts loading the pages covering [start, end) that are not here yet. */
  prefetch(start: number, end: number): void {
    for (let p = Math.floor(Math.max(0, start) / this.pageSize); p * this.pageSize < end; p++) this.load(p);
  }

  /** The rows at these positions, fetching pages that are not here (for copy and export). */
  async rowsAt(positions: readonly number[]): Promise<StoredEvent[]> {
    const pages = new Map<number, StoredEvent[]>();
    for (const position of positions) {
      const index = Math.floor(position / this.pageSize);
      if (pages.has(index)) continue;
      pages.set(index, this.pages.get(index) ?? (await this.fetchRows(index * this.pageSize, this.pageSize)));
    }
    const rows: StoredEvent[] = [];
    for (const position of positions) {
      const index = Math.floor(position / this.pageSize);
      const row = pages.get(index)?.[position - index * this.pageSize];
      if (row) rows.push(row);
    }
    return rows;
  }

  get pageCount(): number {
    return this.pages.size;
  }

  dispose(): void {
    this.disposed = true;
    this.pages.clear();
  }

  private load(pageIndex: number): void {
    if (this.pages.has(pageIndex) || this.loading.has(pageIndex) || this.disposed) return;
    this.loading.add(pageIndex);
    this.fetchRows(pageIndex * this.pageSize, this.pageSize).then(
      (rows) => {
        this.loading.delete(pageIndex);
        if (this.disposed) return;
        this.pages.set(pageIndex, rows);
        while (this.pages.size > this.maxPages) {
          const oldest = this.pages.keys().next().value as number;
          this.pages.delete(oldest);
        }
        this.onLoad();
      },
      () => this.loading.delete(pageIndex),
    );
  }
}
