import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-case.ts';
import { APP_ORIGIN, APP_SCHEME_PRIVILEGES, APP_URL, DESKTOP_CSP, serveAppRequest } from './app-protocol.ts';

const temp = tempDir();
const root = temp.file('renderer');
mkdirSync(`${root}/assets`, { recursive: true });
writeFileSync(`${root}/index.html`, '<!doctype html><p>app</p>');
writeFileSync(`${root}/assets/index-abc.js`, 'console.log(1)');
// A file beside the bundle that traversal would reach.
writeFileSync(temp.file('secret.txt'), 'secret');
afterAll(() => temp.cleanup());

const get = (url: string, method = 'GET') => serveAppRequest(root, { url, method });

describe('the app:// protocol', () => {
  it('serves the bundle with its type and the strict CSP header', async () => {
    const page = await get(APP_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('Content-Security-Policy')).toBe(DESKTOP_CSP);
    expect(await page.text()).toContain('<p>app</p>');
    const script = await get(`${APP_ORIGIN}/assets/index-abc.js?v=1`);
    expect(script.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('refuses traversal, other hosts, other schemes and other methods', async () => {
    for (const url of [
      `${APP_ORIGIN}/../secret.txt`,
      `${APP_ORIGIN}/%2e%2e/secret.txt`,
      `${APP_ORIGIN}/assets/%2e%2e%2f%2e%2e%2fsecret.txt`,
      `${APP_ORIGIN}/..%5csecret.txt`,
      `${APP_ORIGIN}/index.html%00.js`,
      `${APP_ORIGIN}/assets`,
      `${APP_ORIGIN}/missing.js`,
      `${APP_ORIGIN}.evil.example/index.html`,
      'app://other/index.html',
      'file:///etc/passwd',
      `${APP_ORIGIN}`,
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('secret');
    }
    expect((await get(APP_URL, 'POST')).status).toBe(405);
  });

  it('registers a secure standard origin with no CORS or service workers', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({
      standard: true,
      secure: true,
      corsEnabled: false,
      allowServiceWorkers: false,
      bypassCSP: false,
    });
  });

  it('allows no network, inline script, eval, frames or plugins', () => {
    const directives = new Map(
      DESKTOP_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'none'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('frame-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(DESKTOP_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*|http:|https:/);
  });
});
