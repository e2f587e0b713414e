import { domainToUnicode } from 'node:url';

export type VettedUrl = { ok: true; url: string; display: string } | { ok: false; reason: string };

/** Longest link we will hand to the OS (a page can build any string; browsers cap near 2 MB). */
const MAX_URL_LENGTH = 2048;

/**
 * The one gate before a link leaves the app for the OS's browser (Electron checklist item 15:
 * openExternal with untrusted input can run programs through other URL handlers). Parsed with the
 * WHATWG URL parser, never compared as text: https only, no credentials, no whitespace or
 * control characters around or inside. `display` is what the analyst is shown before anything
 * opens: the normalized URL with an internationalized host also spelled out, so a look-alike
 * domain (`xn--…`) cannot pass for another.
 */
export function vetExternalUrl(raw: unknown): VettedUrl {
  if (typeof raw !== 'string') return { ok: false, reason: 'not a URL' };
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: 'URL too long' };
  // The parser would quietly strip these; a link that needs them is not one we open.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u0020\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\\]/.test(raw)) {
    return { ok: false, reason: 'URL contains spaces, control, bidi or backslash characters' };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: `${url.protocol} links are not opened` };
  // The parser repairs `https:/host` and `https:host`; a link that needs repairs is not opened.
  if (!/^https:\/\/[^/]/i.test(raw)) return { ok: false, reason: 'malformed https link' };
  // `https://bank.example@evil.example`: any `@` in the authority, even an empty user, is a disguise.
  if (url.username !== '' || url.password !== '' || /^[a-z]+:\/*[^/?#]*@/i.test(raw)) {
    return { ok: false, reason: 'URL carries credentials' };
  }
  if (url.hostname === '') return { ok: false, reason: 'URL has no host' };
  const unicodeHost = domainToUnicode(url.hostname);
  const display = unicodeHost !== url.hostname ? `${url.href}\n(host: ${unicodeHost})` : url.href;
  return { ok: true, url: url.href, display };
}

/**
 * Opens `raw` in the browser only if it passes `vetExternalUrl` and the analyst confirms it after
 * seeing it. Returns what happened, for the log.
 */
export async function openExternalSafe(
  raw: unknown,
  confirm: (display: string) => Promise<boolean>,
  open: (url: string) => Promise<void>,
): Promise<'opened' | 'declined' | `refused: ${string}`> {
  const vetted = vetExternalUrl(raw);
  if (!vetted.ok) return `refused: ${vetted.reason}`;
  if (!(await confirm(vetted.display))) return 'declined';
  await open(vetted.url);
  return 'opened';
}
