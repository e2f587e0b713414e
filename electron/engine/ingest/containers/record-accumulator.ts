import { REJECT_HEAD_BYTES, headCopy } from './bytes.ts';

/** A finished span of bytes: either the whole record, or (if too big) only its head and length. */
export type AccumulatedBytes =
  { oversize: false; bytes: Buffer } | { oversize: true; head: Uint8Array; length: number };

/**
 * Collects a record that spans chunks, holding at most `maxBytes` of it. Past the cap it keeps
 * only the head and a byte count, so an oversized record never costs more than the cap in memory
 * and is never turned into a string.
 */
export class RecordAccumulator {
  readonly maxBytes: number;
  private pieces: Buffer[] = [];
  private head: Uint8Array | null = null;
  private total = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Bytes held so far (or counted, once oversize). */
  get length(): number {
    return this.total;
  }

  get isEmpty(): boolean {
    return this.total === 0;
  }

  /** Add buf[start, end) to the pending record. */
  append(buf: Buffer, start: number, end: number): void {
    if (end <= start) return;
    const size = end - start;
    if (this.head !== null) {
      this.fillHead(buf, start, end);
    } else if (this.total + size > this.maxBytes) {
      this.pieces.push(buf.subarray(start, end));
      this.head = headCopy(this.pieces);
      this.pieces = [];
    } else {
      this.pieces.push(buf.subarray(start, end));
    }
    this.total += size;
  }

  /** Once oversize, the head still grows to REJECT_HEAD_BYTES if the cap is smaller than that. */
  private fillHead(buf: Buffer, start: number, end: number): void {
    const head = this.head as Uint8Array;
    if (head.length >= REJECT_HEAD_BYTES) return;
    const more = buf.subarray(start, Math.min(end, start + REJECT_HEAD_BYTES - head.length));
    const grown = new Uint8Array(head.length + more.length);
    grown.set(head);
    grown.set(more, head.length);
    this.head = grown;
  }

  /** Complete the record with buf[start, end) (may be empty) and reset. */
  take(buf: Buffer, start: number, end: number): AccumulatedBytes {
    if (this.total === 0) {
      const size = end - start;
      if (size <= this.maxBytes) return { oversize: false, bytes: buf.subarray(start, end) };
      return { oversize: true, head: headCopy([buf.subarray(start, end)]), length: size };
    }
    this.append(buf, start, end);
    return this.takeHeld();
  }

  /** Complete the record with what is held and reset. */
  takeHeld(): AccumulatedBytes {
    const result: AccumulatedBytes =
      this.head !== null
        ? { oversize: true, head: this.head, length: this.total }
        : {
            oversize: false,
            bytes:
              this.pieces.length === 1 ? (this.pieces[0] as Buffer) : Buffer.concat(this.pieces, this.total),
          };
    this.pieces = [];
    this.head = null;
    this.total = 0;
    return result;
  }
}
