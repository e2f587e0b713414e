import { asBuffer } from './bytes.ts';

/** The input as UTF-8 bytes, and the offset its first byte has in the stream readers count. */
export interface Utf8Stream {
  chunks: AsyncIterable<Buffer>;
  /** 3 after a UTF-8 BOM (offsets keep counting the BOM's bytes), else 0. */
  startOffset: number;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
}

/**
 * Look at the first bytes for a byte-order mark. A UTF-8 BOM is skipped (and counted in offsets).
 * UTF-16 (LE or BE, with BOM) is transcoded to UTF-8 up front: offsets and `text` then refer to
 * the UTF-8 transcoding that starts after the BOM, not to the original file bytes. Unpaired
 * surrogates in UTF-16 input become U+FFFD in that transcoding.
 */
export async function toUtf8Stream(source: AsyncIterable<Uint8Array>): Promise<Utf8Stream> {
  const iterator = source[Symbol.asyncIterator]();
  const held: Buffer[] = [];
  let heldBytes = 0;
  let ended = false;
  while (heldBytes < 3) {
    const next = await iterator.next();
    if (next.done === true) {
      ended = true;
      break;
    }
    const chunk = asBuffer(next.value);
    held.push(chunk);
    heldBytes += chunk.length;
  }
  const start = Buffer.concat(held, heldBytes);
  const rest = ended ? emptyIterator() : iterator;
  if (start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf) {
    return { chunks: chain(start.subarray(3), rest), startOffset: 3, encoding: 'utf-8' };
  }
  if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) {
    const encoding = start[0] === 0xff ? 'utf-16le' : 'utf-16be';
    return { chunks: transcodeUtf16(encoding, start.subarray(2), rest), startOffset: 0, encoding };
  }
  return { chunks: chain(start, rest), startOffset: 0, encoding: 'utf-8' };
}

/** Transcode a UTF-16 head (BOM already removed) to UTF-8 for sniffing. */
export function utf8Head(head: Buffer): Buffer {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return head.subarray(3);
  if (head[0] === 0xff && head[1] === 0xfe)
    return Buffer.from(new TextDecoder('utf-16le').decode(head.subarray(2), { stream: true }), 'utf8');
  if (head[0] === 0xfe && head[1] === 0xff)
    return Buffer.from(new TextDecoder('utf-16be').decode(head.subarray(2), { stream: true }), 'utf8');
  return head;
}

async function* chain(first: Buffer, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Buffer> {
  if (first.length > 0) yield first;
  yield* drain(rest);
}

async function* drain(rest: AsyncIterator<Uint8Array>): AsyncGenerator<Buffer> {
  try {
    for (;;) {
      const next = await rest.next();
      if (next.done === true) return;
      yield asBuffer(next.value);
    }
  } finally {
    await rest.return?.();
  }
}

async function* transcodeUtf16(
  encoding: 'utf-16le' | 'utf-16be',
  first: Buffer,
  rest: AsyncIterator<Uint8Array>,
): AsyncGenerator<Buffer> {
  // The streaming decoder carries an odd byte or a split surrogate pair over to the next chunk.
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  const transcode = (bytes: Uint8Array): Buffer =>
    Buffer.from(decoder.decode(bytes, { stream: true }), 'utf8');
  if (first.length > 0) yield transcode(first);
  for await (const chunk of drain(rest)) {
    const out = transcode(chunk);
    if (out.length > 0) yield out;
  }
  const tail = Buffer.from(decoder.decode(), 'utf8');
  if (tail.length > 0) yield tail;
}

function emptyIterator(): AsyncIterator<Uint8Array> {
  return { next: async () => ({ done: true, value: undefined }) };
}
