import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Who may talk to a serve-mode server. Like Jupyter: a random token in the URL the server prints;
 * the first page load trades it for a same-site cookie so the page's own requests (scripts, the
 * WebSocket) carry it too. The Host header must name the loopback address and port we bound, so a
 * DNS-rebinding page cannot reach us under another name, and a WebSocket must come from our origin.
 */
/**
 * The cookie's name carries the port: cookies ignore ports, so two servers on one machine (two
 * cases served at once) would otherwise overwrite each other's token and lock one page out.
 */
export function tokenCookieName(port: number): string {
  return `auditscope_token_${port}`;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export interface RequestFacts {
  /** The request target, e.g. `/assets/index.js?token=…`. */
  url: string;
  host: string | undefined;
  cookie: string | undefined;
  /** Present on WebSocket handshakes (browsers always send it). */
  origin?: string | undefined;
}

export type Verdict =
  | { ok: true; /** The token came in the URL: answer with the cookie. */ setCookie: boolean }
  | { ok: false; status: 403 | 401; reason: string };

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

export function checkRequest(facts: RequestFacts, token: string, port: number, websocket = false): Verdict {
  const hosts = allowedHosts(port);
  if (facts.host === undefined || !hosts.includes(facts.host.toLowerCase())) {
    return { ok: false, status: 403, reason: 'unexpected Host header' };
  }
  if (websocket && !hosts.some((host) => facts.origin === `http://${host}`)) {
    return { ok: false, status: 403, reason: 'WebSocket from a foreign origin' };
  }
  const fromUrl = tokenInUrl(facts.url);
  if (fromUrl !== undefined && sameToken(fromUrl, token)) return { ok: true, setCookie: true };
  const fromCookie = tokenInCookie(facts.cookie, tokenCookieName(port));
  if (fromCookie !== undefined && sameToken(fromCookie, token)) return { ok: true, setCookie: false };
  return { ok: false, status: 401, reason: 'missing or wrong token' };
}

export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

function tokenInUrl(url: string): string | undefined {
  try {
    return new URL(url, 'http://placeholder').searchParams.get('token') ?? undefined;
  } catch {
    return undefined;
  }
}

function tokenInCookie(header: string | undefined, cookieName: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === cookieName) return value.join('=');
  }
  return undefined;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
