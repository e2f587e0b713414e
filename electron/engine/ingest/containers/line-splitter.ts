import { CR, LF } from './bytes.ts';
import { RecordAccumulator, type AccumulatedBytes } from './record-accumulator.ts';

/** One line without its terminator, where it starts, and its bytes (or head + length if oversize). */
export interface LineSpan {
  span: AccumulatedBytes;
  offset: number;
  line: number;
}

/**
 * Splits a byte stream into lines on `\n`, `\r\n` and lone `\r`, the same way whatever the chunk
 * boundaries (a `\r` that ends a chunk remembers to swallow a `\n` that starts the next one).
 * Searches with Buffer#indexOf, so the cost per line is a couple of native calls. Empty lines
 * are not reported; everything else is, including whitespace-only lines.
 */
export class LineSplitter {
  private readonly acc: RecordAccumulator;
  private chunkOffset: number;
  private lineNumber = 1;
  private pendingCR = false;
  private pendingOffset = 0;
  private pendingLine = 1;

  constructor(maxRecordBytes: number, startOffset: number) {
    this.acc = new RecordAccumulator(maxRecordBytes);
    this.chunkOffset = startOffset;
  }

  *push(buf: Buffer): Generator<LineSpan> {
    const length = buf.length;
    let pos = 0;
    if (this.pendingCR && length > 0) {
      this.pendingCR = false;
      if (buf[0] === LF) pos = 1;
    }
    let nextLF = buf.indexOf(LF, pos);
    let nextCR = buf.indexOf(CR, pos);
    for (;;) {
      if (nextLF !== -1 && nextLF < pos) nextLF = buf.indexOf(LF, pos);
      if (nextCR !== -1 && nextCR < pos) nextCR = buf.indexOf(CR, pos);
      const end = nextCR === -1 ? nextLF : nextLF === -1 ? nextCR : Math.min(nextLF, nextCR);
      if (end === -1) {
        if (pos < length) {
          if (this.acc.isEmpty) {
            this.pendingOffset = this.chunkOffset + pos;
            this.pendingLine = this.lineNumber;
          }
          this.acc.append(buf, pos, length);
        }
        break;
      }
      const continued = !this.acc.isEmpty;
      if (continued || end > pos) {
        const offset = continued ? this.pendingOffset : this.chunkOffset + pos;
        const line = continued ? this.pendingLine : this.lineNumber;
        yield { span: this.acc.take(buf, pos, end), offset, line };
      }
      this.lineNumber++;
      if (buf[end] === CR) {
        if (end + 1 < length) pos = buf[end + 1] === LF ? end + 2 : end + 1;
        else {
          this.pendingCR = true;
          pos = end + 1;
        }
      } else {
        pos = end + 1;
      }
    }
    this.chunkOffset += length;
  }

  /** The last line, when the input does not end with a terminator. */
  *finish(): Generator<LineSpan> {
    if (!this.acc.isEmpty) {
      yield { span: this.acc.takeHeld(), offset: this.pendingOffset, line: this.pendingLine };
    }
  }
}
