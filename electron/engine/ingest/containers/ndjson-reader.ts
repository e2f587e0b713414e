import { isBlank } from './bytes.ts';
import type { ContainerReader, RecordItem, ResolvedOptions } from './container-types.ts';
import { LineSplitter, type LineSpan } from './line-splitter.ts';
import { jsonRecordItem } from './record-items.ts';

/** NDJSON: one JSON object per non-blank line. */
export class NdjsonReader implements ContainerReader {
  private readonly splitter: LineSplitter;
  private readonly options: ResolvedOptions;

  constructor(options: ResolvedOptions, startOffset: number) {
    this.options = options;
    this.splitter = new LineSplitter(options.maxRecordBytes, startOffset);
  }

  *push(chunk: Buffer): Generator<RecordItem> {
    for (const line of this.splitter.push(chunk)) {
      const item = this.toItem(line);
      if (item !== null) yield item;
    }
  }

  *finish(): Generator<RecordItem> {
    for (const line of this.splitter.finish()) {
      const item = this.toItem(line);
      if (item !== null) yield item;
    }
  }

  private toItem({ span, offset, line }: LineSpan): RecordItem | null {
    if (!span.oversize && isBlank(span.bytes)) return null;
    return jsonRecordItem(span, offset, line, this.options.maxRecordBytes, this.options.maxDepth);
  }
}
