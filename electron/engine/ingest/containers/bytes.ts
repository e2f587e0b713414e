/** Byte values the readers look for. */
export const LF = 0x0a;
export const CR = 0x0d;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;

/** How many leading bytes of a rejected record we keep for the rejects viewer. */
export const REJECT_HEAD_BYTES = 256;

/** JSON insignificant whitespace (space, tab, LF, CR). */
export function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** True when every byte of buf[start, end) is JSON whitespace (or the range is empty). */
export function isBlank(buf: Uint8Array, start = 0, end = buf.length): boolean {
  for (let i = start; i < end; i++) {
    if (!isJsonWhitespace(buf[i] as number)) return false;
  }
  return true;
}

/** A copy (never a view that pins a large chunk) of the first bytes of a record. */
export function headCopy(pieces: readonly Uint8Array[], limit = REJECT_HEAD_BYTES): Uint8Array {
  const out = new Uint8Array(
    Math.min(
      limit,
      pieces.reduce((n, p) => n + p.length, 0),
    ),
  );
  let filled = 0;
  for (const piece of pieces) {
    if (filled >= out.length) break;
    const take = Math.min(piece.length, out.length - filled);
    out.set(piece.subarray(0, take), filled);
    filled += take;
  }
  return out;
}

/** View any Uint8Array as a Buffer without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
