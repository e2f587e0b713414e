import { CR, LF } from './bytes.ts';

const EMPTY = Buffer.alloc(0);

/**
 * Tracks the 1-based line number of byte positions as a reader moves forward through chunks.
 * `\n`, `\r\n` and lone `\r` each end one line, also when `\r` and `\n` fall in different chunks.
 * Positions must be asked in increasing order; the next terminators are cached so each chunk is
 * searched once overall, however many positions are asked.
 */
export class LineCounter {
  private current = 1;
  private buf: Buffer = EMPTY;
  private nextLF = -1;
  private nextCR = -1;
  private previousEndedWithCR = false;

  /** Move to the next chunk (counting what is left of the current one). */
  startChunk(buf: Buffer): void {
    if (this.buf.length > 0) {
      this.advanceTo(this.buf.length);
      this.previousEndedWithCR = this.buf[this.buf.length - 1] === CR;
    }
    this.buf = buf;
    this.nextLF = buf.indexOf(LF);
    this.nextCR = buf.indexOf(CR);
  }

  /** The line of the byte at `pos` in the current chunk. */
  lineAt(pos: number): number {
    this.advanceTo(pos);
    return this.current;
  }

  private advanceTo(pos: number): void {
    const buf = this.buf;
    while (this.nextLF !== -1 && this.nextLF < pos) {
      const afterCR = this.nextLF > 0 ? buf[this.nextLF - 1] === CR : this.previousEndedWithCR;
      if (!afterCR) this.current++;
      this.nextLF = buf.indexOf(LF, this.nextLF + 1);
    }
    while (this.nextCR !== -1 && this.nextCR < pos) {
      this.current++;
      this.nextCR = buf.indexOf(CR, this.nextCR + 1);
    }
  }
}
