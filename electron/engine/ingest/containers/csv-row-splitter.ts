import { CR, LF, QUOTE } from './bytes.ts';
import { LineCounter } from './line-counter.ts';
import { RecordAccumulator, type AccumulatedBytes } from './record-accumulator.ts';

/** A CSV row (bytes without the terminator), or the rest of the file after a quote never closed. */
export type CsvRowSpan =
  | { kind: 'row'; span: AccumulatedBytes; offset: number; line: number }
  | { kind: 'unterminated'; span: AccumulatedBytes; offset: number; line: number; quoteLine: number };

/**
 * Cuts a CSV byte stream into rows per RFC 4180: a `"` opens a quoted field only at the start of
 * a field, `""` inside it is a literal quote, and terminators (`\n`, `\r\n`, lone `\r`) inside
 * quotes belong to the field. Quote-aware but still search-based: outside quotes it jumps between
 * the next terminator and the next quote with Buffer#indexOf.
 */
export class CsvRowSplitter {
  private readonly acc: RecordAccumulator;
  private readonly delimiter: number;
  private readonly lines = new LineCounter();
  private chunkOffset: number;
  private inQuote = false;
  /** A `"` inside a quoted field was the last byte of a chunk: closing, or the first of `""`. */
  private quoteAtChunkEnd = false;
  private pendingCR = false;
  private previousByte = -1;
  private rowOpen = false;
  private rowOffset = 0;
  private rowLine = 1;
  private quoteLine = 1;

  constructor(maxRecordBytes: number, startOffset: number, delimiter: number) {
    this.acc = new RecordAccumulator(maxRecordBytes);
    this.chunkOffset = startOffset;
    this.delimiter = delimiter;
  }

  *push(buf: Buffer): Generator<CsvRowSpan> {
    const length = buf.length;
    if (length === 0) return;
    this.lines.startChunk(buf);
    let pos = 0;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (buf[0] === LF) pos = 1;
    }
    let rowStart = pos;
    if (!this.rowOpen) this.openRow(pos);
    let i = pos;
    if (this.quoteAtChunkEnd) {
      this.quoteAtChunkEnd = false;
      if (buf[0] === QUOTE) i = 1;
      else this.inQuote = false;
    }
    let nextLF = buf.indexOf(LF, i);
    let nextCR = buf.indexOf(CR, i);
    let nextQuote = buf.indexOf(QUOTE, i);
    for (;;) {
      if (this.inQuote) {
        const q = buf.indexOf(QUOTE, i);
        if (q === -1) break;
        if (q + 1 === length) {
          this.quoteAtChunkEnd = true;
          break;
        }
        if (buf[q + 1] === QUOTE) i = q + 2;
        else {
          this.inQuote = false;
          i = q + 1;
        }
        continue;
      }
      if (nextLF !== -1 && nextLF < i) nextLF = buf.indexOf(LF, i);
      if (nextCR !== -1 && nextCR < i) nextCR = buf.indexOf(CR, i);
      if (nextQuote !== -1 && nextQuote < i) nextQuote = buf.indexOf(QUOTE, i);
      const end = nextCR === -1 ? nextLF : nextLF === -1 ? nextCR : Math.min(nextLF, nextCR);
      if (nextQuote !== -1 && (end === -1 || nextQuote < end)) {
        const q = nextQuote;
        const before = q > 0 ? (buf[q - 1] as number) : this.previousByte;
        const fieldStart = (q === rowStart && this.acc.isEmpty) || before === this.delimiter;
        if (fieldStart) {
          this.inQuote = true;
          this.quoteLine = this.lines.lineAt(q);
        }
        i = q + 1;
        continue;
      }
      if (end === -1) break;
      yield {
        kind: 'row',
        span: this.acc.take(buf, rowStart, end),
        offset: this.rowOffset,
        line: this.rowLine,
      };
      if (buf[end] === CR && end + 1 === length) {
        this.pendingCR = true;
        pos = length;
      } else {
        pos = buf[end] === CR && buf[end + 1] === LF ? end + 2 : end + 1;
      }
      rowStart = i = pos;
      this.rowOpen = false;
      if (pos < length) this.openRow(pos);
    }
    if (this.rowOpen) this.acc.append(buf, rowStart, length);
    this.previousByte = buf[length - 1] as number;
    this.chunkOffset += length;
  }

  *finish(): Generator<CsvRowSpan> {
    if (this.quoteAtChunkEnd) this.inQuote = false;
    if (this.inQuote) {
      const span = this.acc.takeHeld();
      yield {
        kind: 'unterminated',
        span,
        offset: this.rowOffset,
        line: this.rowLine,
        quoteLine: this.quoteLine,
      };
    } else if (this.rowOpen && !this.acc.isEmpty) {
      yield { kind: 'row', span: this.acc.takeHeld(), offset: this.rowOffset, line: this.rowLine };
    }
  }

  private openRow(pos: number): void {
    this.rowOpen = true;
    this.rowOffset = this.chunkOffset + pos;
    this.rowLine = this.lines.lineAt(pos);
  }
}
