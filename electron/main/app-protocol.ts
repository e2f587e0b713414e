// The renderer's origin in the desktop app: app://auditscope, served from the bundled renderer
// directory. Not file:// (checklist item 18: a page on file:// may read every file the user can),
// and every answer carries the Content-Security-Policy as a header (item 7).
import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy } from '../../shared/content-security-policy.ts';
import { contentTypeOf, resolveStaticPath } from '../server/static-files.ts';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://auditscope`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/**
 * How the scheme is registered before the app is ready: a standard, secure origin (so the page
 * gets a real origin and localStorage), no CORS from elsewhere, no service workers. Fetch support
 * is what lets Chromium load the bundle's module scripts from it; the page's CSP still forbids
 * it to connect anywhere.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  allowServiceWorkers: false,
  bypassCSP: false,
  stream: false,
} as const;

/** The desktop page may reach nothing over the network: the engine is behind IPC. */
export const DESKTOP_CSP = contentSecurityPolicy([]);

const HEADERS = {
  'Content-Security-Policy': DESKTOP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Answers one app:// request from `rendererDir`. Only GET of a file under that directory, on our
 * own host; `..`, encoded separators and anything resolving outside are refused (404), never
 * cleaned up into something else.
 */
export async function serveAppRequest(
  rendererDir: string,
  request: { url: string; method: string },
): Promise<Response> {
  if (request.method !== 'GET') return refuse(405, 'method not allowed');
  if (!request.url.startsWith(`${APP_ORIGIN}/`)) return refuse(404, 'not found');
  const file = resolveStaticPath(rendererDir, request.url.slice(APP_ORIGIN.length));
  if (file === undefined) return refuse(404, 'not found');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    // Missing, a directory, unreadable: all just "not here".
    return refuse(404, 'not found');
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: { ...HEADERS, 'Content-Type': contentTypeOf(file) },
  });
}

function refuse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
