import type { ContainerReader, RecordItem } from './container-types.ts';
import { LineSplitter, type LineSpan } from './line-splitter.ts';

/** A container of one record per line: splits lines and lets the subclass turn each into an item. */
export abstract class LineRecordReader implements ContainerReader {
  private readonly splitter: LineSplitter;

  protected constructor(maxRecordBytes: number, startOffset: number) {
    this.splitter = new LineSplitter(maxRecordBytes, startOffset);
  }

  *push(chunk: Buffer): Generator<RecordItem> {
    yield* this.items(this.splitter.push(chunk));
  }

  *finish(): Generator<RecordItem> {
    yield* this.items(this.splitter.finish());
  }

  private *items(lines: Iterable<LineSpan>): Generator<RecordItem> {
    for (const line of lines) {
      const item = this.toItem(line);
      if (item !== null) yield item;
    }
  }

  /** The item for one line, or null to skip it (blank lines). */
  protected abstract toItem(line: LineSpan): RecordItem | null;
}
