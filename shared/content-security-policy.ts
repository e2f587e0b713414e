/**
 * The page's Content-Security-Policy, one policy for both hosts of the renderer: the desktop app
 * (no network at all: the engine is reached over IPC) and serve mode (its own WebSocket only).
 * No inline script or style, no eval, no frames, plugins or forms (but serve mode's export): log text that escaped into
 * markup would still be inert.
 */
export function contentSecurityPolicy(
  connectSources: readonly string[],
  /** Where the page may post a form: serve mode's export download only; nowhere in the app. */
  formTargets: readonly string[] = [],
): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connectSources.length === 0 ? "'none'" : connectSources.join(' ')}`,
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    `form-action ${formTargets.length === 0 ? "'none'" : formTargets.join(' ')}`,
    "frame-ancestors 'none'",
  ].join('; ');
}
