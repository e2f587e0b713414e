import { isBlank } from './bytes.ts';
import type { RecordItem, ResolvedOptions } from './container-types.ts';
import { LineRecordReader } from './line-record-reader.ts';
import type { LineSpan } from './line-splitter.ts';
import { jsonRecordItem } from './record-items.ts';

/** NDJSON: one JSON object per non-blank line. */
export class NdjsonReader extends LineRecordReader {
  private readonly options: ResolvedOptions;

  constructor(options: ResolvedOptions, startOffset: number) {
    super(options.maxRecordBytes, startOffset);
    this.options = options;
  }

  protected toItem({ span, offset, line }: LineSpan): RecordItem | null {
    if (!span.oversize && isBlank(span.bytes)) return null;
    return jsonRecordItem(span, offset, line, this.options.maxRecordBytes, this.options.maxDepth);
  }
}
