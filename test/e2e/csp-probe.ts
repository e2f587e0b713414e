import type { Page } from 'playwright-core';

/**
 * Tries what the page's Content-Security-Policy must stop: an inline script and an iframe from
 * elsewhere. Returns whether the script ran and which directives reported a violation (the page's
 * header and its <meta> fallback each report one, so they are listed once each).
 */
export function probeCsp(page: Page): Promise<{ ran: number | undefined; violations: string[] }> {
  return page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
    const script = document.createElement('script');
    script.textContent = 'window.__injected = 1';
    document.body.append(script);
    const frame = document.createElement('iframe');
    frame.src = 'https://example.com/';
    document.body.append(frame);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return {
      ran: (window as { __injected?: number }).__injected,
      violations: [...new Set(violations)].sort(),
    };
  });
}
