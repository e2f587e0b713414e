import { BACKSLASH, COMMA, LBRACE, LBRACKET, QUOTE, RBRACE, RBRACKET, isJsonWhitespace } from './bytes.ts';

/**
 * Finds where one JSON value ends without parsing it: tracks strings, escapes and bracket depth,
 * and resumes across chunk boundaries. Bracket kinds are not matched (`{]` closes too); the
 * element's own JSON.parse reports such mistakes, and depth counting keeps the scanner in step.
 */
export class ValueScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;

  /** Start a value whose first byte is `first`; scanning resumes at the byte after it. */
  begin(first: number): void {
    this.depth = first === LBRACE || first === LBRACKET ? 1 : 0;
    this.inString = first === QUOTE;
    this.scalar = !this.inString && this.depth === 0;
    this.escaped = false;
  }

  /** Index just past the value's last byte, or -1 when the value goes on past this chunk. */
  scan(buf: Buffer, from: number): number {
    const length = buf.length;
    let i = from;
    if (this.scalar) {
      for (; i < length; i++) {
        const b = buf[i] as number;
        if (b === COMMA || b === RBRACKET || b === RBRACE || isJsonWhitespace(b)) return i;
      }
      return -1;
    }
    while (i < length) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          i++;
          continue;
        }
        const quote = nextQuote(buf, i, length);
        if (quote === -1) {
          this.escaped = oddBackslashRunBefore(buf, length, i);
          return -1;
        }
        if (oddBackslashRunBefore(buf, quote, i)) {
          i = quote + 1;
          continue;
        }
        this.inString = false;
        i = quote + 1;
        if (this.depth === 0) return i;
        continue;
      }
      for (; i < length; i++) {
        const b = buf[i] as number;
        if (b === QUOTE) {
          this.inString = true;
          i++;
          break;
        }
        if (b === LBRACE || b === LBRACKET) this.depth++;
        else if (b === RBRACE || b === RBRACKET) {
          if (--this.depth === 0) return i + 1;
        }
      }
    }
    return -1;
  }

  /** At end of input: true when the value so far is complete (a scalar ends at EOF). */
  get completeAtEnd(): boolean {
    return this.scalar;
  }
}

/** Short strings (most keys and values) are cheaper to walk than to hand to a native search. */
const INLINE_SEARCH_BYTES = 24;

function nextQuote(buf: Buffer, from: number, length: number): number {
  const inlineEnd = Math.min(length, from + INLINE_SEARCH_BYTES);
  for (let i = from; i < inlineEnd; i++) if (buf[i] === QUOTE) return i;
  return inlineEnd === length ? -1 : buf.indexOf(QUOTE, inlineEnd);
}

/** Whether the run of backslashes ending just before `end` (not reaching before `floor`) is odd. */
function oddBackslashRunBefore(buf: Buffer, end: number, floor: number): boolean {
  let count = 0;
  for (let j = end - 1; j >= floor && buf[j] === BACKSLASH; j--) count++;
  return (count & 1) === 1;
}
