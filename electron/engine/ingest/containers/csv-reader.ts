import { REJECT_HEAD_BYTES, isBlank } from './bytes.ts';
import type { ContainerReader, RecordItem } from './container-types.ts';
import { csvRowObject, normalizeHeader, splitCsvRow } from './csv-fields.ts';
import { CsvRowSplitter, type CsvRowSpan } from './csv-row-splitter.ts';
import { decodeRecordText } from './decode-text.ts';
import { oversizeReject, recordItem, rejectItem } from './record-items.ts';

/**
 * CSV (RFC 4180): the first non-blank row is the header; every later non-blank row becomes a
 * record whose value (and document) maps header names to cells. Ragged rows are records too.
 */
export class CsvReader implements ContainerReader {
  private readonly splitter: CsvRowSplitter;
  private readonly delimiter: string;
  private readonly maxRecordBytes: number;
  private header: string[] | null = null;
  /** Line of a header row that was itself rejected: no later row can be mapped to names. */
  private lostHeaderLine: number | null = null;

  constructor(maxRecordBytes: number, startOffset: number, delimiter = ',') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new RangeError(`unsupported CSV delimiter ${JSON.stringify(delimiter)}`);
    }
    this.delimiter = delimiter;
    this.maxRecordBytes = maxRecordBytes;
    this.splitter = new CsvRowSplitter(maxRecordBytes, startOffset, delimiter.charCodeAt(0));
  }

  *push(chunk: Buffer): Generator<RecordItem> {
    for (const row of this.splitter.push(chunk)) {
      const item = this.toItem(row);
      if (item !== null) yield item;
    }
  }

  *finish(): Generator<RecordItem> {
    for (const row of this.splitter.finish()) {
      const item = this.toItem(row);
      if (item !== null) yield item;
    }
  }

  private toItem(row: CsvRowSpan): RecordItem | null {
    const item = this.rowItem(row);
    if (this.header !== null || item === null) return item;
    if (this.lostHeaderLine === null && item.kind === 'reject') this.lostHeaderLine = row.line;
    return item;
  }

  private rowItem(row: CsvRowSpan): RecordItem | null {
    const { span, offset, line } = row;
    if (this.lostHeaderLine !== null && row.kind === 'row' && !span.oversize) {
      // Reading a data row as the header would shift every name: keep each row, as a reject.
      if (isBlank(span.bytes)) return null;
      return rejectItem(
        offset,
        line,
        `no usable CSV header: the header row at line ${this.lostHeaderLine} was rejected`,
        Uint8Array.from(span.bytes.subarray(0, REJECT_HEAD_BYTES)),
        span.bytes.length,
      );
    }
    if (row.kind === 'unterminated') {
      const head = span.oversize ? span.head : Uint8Array.from(span.bytes.subarray(0, REJECT_HEAD_BYTES));
      const length = span.oversize ? span.length : span.bytes.length;
      return rejectItem(
        offset,
        line,
        `unterminated quoted field starting at line ${row.quoteLine}`,
        head,
        length,
      );
    }
    if (span.oversize) return oversizeReject(offset, line, this.maxRecordBytes, span.head, span.length);
    if (isBlank(span.bytes)) return null;
    const { text, encodingError } = decodeRecordText(span.bytes);
    const cells = splitCsvRow(text, this.delimiter);
    if (this.header === null) {
      this.header = normalizeHeader(cells);
      return null;
    }
    const value = csvRowObject(this.header, cells);
    return recordItem(span.bytes, text, encodingError, offset, line, value, value);
  }
}
