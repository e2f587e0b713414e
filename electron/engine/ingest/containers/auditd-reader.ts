import { isBlank } from './bytes.ts';
import type { RecordItem } from './container-types.ts';
import { decodeRecordText } from './decode-text.ts';
import { LineRecordReader } from './line-record-reader.ts';
import type { LineSpan } from './line-splitter.ts';
import { oversizeReject, recordItem } from './record-items.ts';

/**
 * auditd: one record per non-blank line, with an empty value and the line as `text`. Grouping
 * the lines of one event (same `msg=audit(…)` serial) is the auditd normalizer's job.
 */
export class AuditdReader extends LineRecordReader {
  private readonly maxRecordBytes: number;

  constructor(maxRecordBytes: number, startOffset: number) {
    super(maxRecordBytes, startOffset);
    this.maxRecordBytes = maxRecordBytes;
  }

  protected toItem({ span, offset, line }: LineSpan): RecordItem | null {
    if (span.oversize) return oversizeReject(offset, line, this.maxRecordBytes, span.head, span.length);
    if (isBlank(span.bytes)) return null;
    const { text, encodingError } = decodeRecordText(span.bytes);
    return recordItem(
      span.bytes,
      text,
      encodingError,
      offset,
      line,
      Object.create(null) as Record<string, unknown>,
    );
  }
}
