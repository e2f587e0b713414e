/**
 * The page's Content-Security-Policy, one policy for both hosts of the renderer: the desktop app
 * (no network at all: the engine is reached over IPC) and serve mode (its own WebSocket only).
 * No inline script or style, no eval, no frames, forms or plugins: log text that escaped into
 * markup would still be inert.
 */
export function contentSecurityPolicy(connectSources: readonly string[]): string {
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
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
