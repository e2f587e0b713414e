import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';

/** A file's bytes as a stream, hashed (SHA-256) and counted as they pass, for chain of custody. */
export class HashingFileReader {
  readonly path: string;
  bytesRead = 0;
  private readonly hash = createHash('sha256');
  private finished = false;

  constructor(path: string) {
    this.path = path;
  }

  async *chunks(signal?: { cancelled: boolean }): AsyncIterable<Buffer> {
    const stream = createReadStream(this.path, { highWaterMark: 1 << 20 });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (signal?.cancelled) return;
        this.hash.update(chunk);
        this.bytesRead += chunk.length;
        yield chunk;
      }
      this.finished = true;
    } finally {
      stream.destroy();
    }
  }

  /** The SHA-256 of the whole file; only meaningful once `chunks` was read to the end. */
  sha256(): string | null {
    return this.finished ? this.hash.digest('hex') : null;
  }
}

/** The first `limit` bytes of a stream, for sniffing before anything is written. */
export async function readHead(path: string, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  const stream = createReadStream(path, { highWaterMark: Math.min(limit, 1 << 20) });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      length += chunk.length;
      if (length >= limit) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, limit);
}
