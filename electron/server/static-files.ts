import { createReadStream, statSync, type Stats } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { contentSecurityPolicy } from '../../shared/content-security-policy.ts';
import { EXPORT_DOWNLOAD_PATH } from '../../shared/domain/export.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The Content-Type a bundled file is served with. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
}

/**
 * The file under `root` a request path names, or undefined: `..`, encoded separators, NUL bytes
 * and anything resolving outside `root` are refused rather than cleaned up.
 */
export function resolveStaticPath(root: string, requestUrl: string): string | undefined {
  // The raw request path, not a URL-normalized one: a `..` is refused, not silently resolved.
  const rawPath = requestUrl.split(/[?#]/, 1)[0] ?? '';
  if (!rawPath.startsWith('/')) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return undefined;
  if (pathname.split('/').some((segment) => segment === '..')) return undefined;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const absoluteRoot = path.resolve(root);
  const file = path.resolve(absoluteRoot, relative);
  if (!file.startsWith(absoluteRoot + path.sep)) return undefined;
  return file;
}

/** Headers every served page carries: the CSP keeps hostile log text inert even if it escaped. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(
      ["'self'", `ws://127.0.0.1:${port}`, `ws://localhost:${port}`],
      [`http://127.0.0.1:${port}${EXPORT_DOWNLOAD_PATH}`, `http://localhost:${port}${EXPORT_DOWNLOAD_PATH}`],
    ),
    'X-Content-Type-Options': 'nosniff',
    // The token is in the first URL: never send it onwards.
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export function sendStaticFile(
  root: string,
  requestUrl: string,
  response: ServerResponse,
  headers: Record<string, string>,
): void {
  const file = resolveStaticPath(root, requestUrl);
  const stat = file === undefined ? undefined : statOrUndefined(file);
  if (file === undefined || stat === undefined || !stat.isFile()) {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('not found');
    return;
  }
  response.writeHead(200, {
    ...headers,
    'Content-Type': contentTypeOf(file),
    'Content-Length': String(stat.size),
  });
  // A file that vanishes or cannot be read mid-way ends the response, never the server.
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

/** ENOENT, ENOTDIR (`/index.html/x`), EACCES…: all just "not here". */
function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
