import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** The path a browser posts files to in serve mode. */
export const UPLOAD_PATH = '/upload';

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
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const name = safeUploadName(request.headers['x-file-name'] as string | undefined);
  const file = path.join(dir, `${Date.now()}-${randomBytes(4).toString('hex')}-${name}`);
  try {
    await pipeline(request, createWriteStream(file, { flags: 'wx' }));
  } catch (error) {
    rmSync(file, { force: true });
    response.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(`upload failed: ${(error as Error).message}\n`);
    return;
  }
  response.writeHead(200, { ...headers, 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ path: file }));
}
