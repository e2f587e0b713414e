import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { asBuffer } from './bytes.ts';

/** The gzip input is corrupt, truncated, or decompresses to more than the caps allow. */
export class GzipError extends Error {
  override name = 'GzipError';
}

export interface GunzipCaps {
  /** Abort when the decompressed output exceeds this. Default 64 GiB. */
  maxOutputBytes?: number;
  /** Abort when decompressed/compressed exceeds this… Default 200. */
  maxRatio?: number;
  /** …once the output is past this many bytes (small files compress well too). Default 64 MiB. */
  ratioCheckAfterBytes?: number;
}

const GIB = 1024 * 1024 * 1024;

/**
 * Gunzip when the stream starts with the gzip magic bytes 1f 8b; pass it through otherwise.
 * Concatenated gzip members are all decompressed. zlib's own `maxOutputLength` caps only its
 * buffer helpers, so the streaming output is counted here (reliability §3.9). A truncated or
 * corrupt input throws GzipError at the point it is found; it never ends as a quiet success.
 * Nested `.gz` inside the output is not decompressed again.
 */
export async function* maybeGunzip(
  source: AsyncIterable<Uint8Array>,
  caps: GunzipCaps = {},
): AsyncGenerator<Buffer> {
  const maxOutput = caps.maxOutputBytes ?? 64 * GIB;
  const maxRatio = caps.maxRatio ?? 200;
  const ratioAfter = caps.ratioCheckAfterBytes ?? 64 * 1024 * 1024;
  const iterator = source[Symbol.asyncIterator]();
  try {
    const held: Buffer[] = [];
    let heldBytes = 0;
    let ended = false;
    while (heldBytes < 2) {
      const next = await iterator.next();
      if (next.done === true) {
        ended = true;
        break;
      }
      held.push(asBuffer(next.value));
      heldBytes += next.value.length;
    }
    const first = Buffer.concat(held, heldBytes);
    if (first[0] !== 0x1f || first[1] !== 0x8b) {
      if (first.length > 0) yield first;
      while (!ended) {
        const next = await iterator.next();
        if (next.done === true) break;
        yield asBuffer(next.value);
      }
      return;
    }
    let compressed = 0;
    // End of the last non-zero input byte: zlib stops quietly at bytes after a member that are not
    // another member (a damaged header, appended junk), and only zero padding may be left unread.
    let nonZeroEnd = 0;
    const take = (chunk: Buffer): Buffer => {
      const last = lastNonZero(chunk);
      if (last >= 0) nonZeroEnd = compressed + last + 1;
      compressed += chunk.length;
      return chunk;
    };
    const input = async function* (): AsyncGenerator<Buffer> {
      yield take(first);
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return;
        yield take(asBuffer(next.value));
      }
    };
    const gunzip = createGunzip();
    pipeline(Readable.from(input()), gunzip, () => undefined);
    let output = 0;
    try {
      for await (const chunk of gunzip as AsyncIterable<Buffer>) {
        output += chunk.length;
        if (output > maxOutput) throw new GzipError(`gzip output exceeds ${maxOutput} bytes`);
        if (output > ratioAfter && output / Math.max(compressed, 1) > maxRatio) {
          throw new GzipError(`gzip compression ratio above ${maxRatio}:1 (possible gzip bomb)`);
        }
        yield chunk;
      }
      if (gunzip.bytesWritten < nonZeroEnd) {
        throw new GzipError(
          `data at byte ${gunzip.bytesWritten} after a gzip member is not gzip (damaged member or appended bytes)`,
        );
      }
    } catch (error) {
      throw toGzipError(error);
    } finally {
      gunzip.destroy();
    }
  } finally {
    await iterator.return?.();
  }
}

function lastNonZero(chunk: Buffer): number {
  for (let i = chunk.length - 1; i >= 0; i--) if (chunk[i] !== 0) return i;
  return -1;
}

function toGzipError(error: unknown): unknown {
  if (error instanceof GzipError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'Z_BUF_ERROR') return new GzipError(`truncated gzip input (${message})`);
  if (typeof code === 'string' && code.startsWith('Z_'))
    return new GzipError(`invalid gzip data (${message})`);
  return error;
}
