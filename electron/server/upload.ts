import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The path a browser posts files to in serve mode. */
export const UPLOAD_PATH = '/upload';

/**
 * One file at most this big (64 GiB): well past any audit export, but a runaway or hostile page
 * cannot fill the disk without limit.
 */
export const MAX_UPLOAD_BYTES = 64 * 1024 ** 3;

/**
 * A file name from the page, reduced to a safe base name: no folders, no control characters, no
 * leading dots, bounded length. The original name stays readable in the stored copy's name.
 */
export function safeUploadName(header: string | undefined): string {
  const name = decodeOrEmpty(header ?? '');
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = [...base]
    .map((ch) => (ch < ' ' || ch === '\u007f' || '<>:"|?*'.includes(ch) ? '_' : ch))
    .join('')
    .replace(/^\.+/, '')
    .slice(-120);
  return cleaned === '' ? 'upload' : cleaned;
}

function decodeOrEmpty(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}

/**
 * Serve mode's "open file": the browser cannot name files on this machine, so it sends their bytes,
 * streamed to a file in `dir` (memory stays flat whatever the size); the answer is the stored path,
 * which the page then imports through the contract like any other path.
 */
export async function receiveUpload(
  request: IncomingMessage,
  response: ServerResponse,
  dir: string,
  headers: Record<string, string>,
  maxBytes = MAX_UPLOAD_BYTES,
): Promise<void> {
  const fail = (status: number, message: string): void => {
    if (!response.headersSent) {
      response.writeHead(status, {
        ...headers,
        'Content-Type': 'text/plain; charset=utf-8',
        Connection: 'close',
      });
    }
    response.end(`${message}\n`);
  };
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) {
    request.resume();
    return fail(413, `upload refused: larger than ${maxBytes} bytes`);
  }
  const name = safeUploadName(request.headers['x-file-name'] as string | undefined);
  const file = path.join(dir, `${Date.now()}-${randomBytes(4).toString('hex')}-${name}`);
  try {
    mkdirSync(dir, { recursive: true });
    await pipeline(request, limitBytes(maxBytes), createWriteStream(file, { flags: 'wx' }));
  } catch (error) {
    // The partial copy goes; when the folder itself was the problem there is nothing to remove.
    try {
      rmSync(file, { force: true });
    } catch {
      // nothing was written
    }
    request.resume();
    const tooLarge = error instanceof UploadTooLarge;
    return fail(tooLarge ? 413 : 400, `upload failed: ${(error as Error).message}`);
  }
  response.writeHead(200, { ...headers, 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ path: file }));
}

class UploadTooLarge extends Error {}

/** Passes bytes through until `maxBytes`, then fails the pipeline (a body without a length). */
function limitBytes(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new UploadTooLarge(`larger than ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
}
