import { describe, expect, it } from 'vitest';
import { checkRequest, newToken, tokenCookie, tokenCookieName } from './serve-auth.ts';

const token = newToken();
const port = 4123;
const TOKEN_COOKIE = tokenCookieName(port);
const base = { url: '/', host: `127.0.0.1:${port}`, cookie: undefined };

describe('serve-mode request check', () => {
  it('makes long random tokens', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newToken()).not.toBe(token);
  });

  it('accepts the token in the URL (and asks for the cookie) or in the cookie', () => {
    expect(checkRequest({ ...base, url: `/?token=${token}` }, token, port)).toEqual({
      ok: true,
      setCookie: true,
    });
    expect(checkRequest({ ...base, cookie: `a=1; ${TOKEN_COOKIE}=${token}` }, token, port)).toEqual({
      ok: true,
      setCookie: false,
    });
    expect(
      checkRequest({ ...base, host: `localhost:${port}`, url: `/x?token=${token}` }, token, port).ok,
    ).toBe(true);
  });

  it('refuses requests without the right token', () => {
    for (const facts of [
      base,
      { ...base, url: '/?token=' },
      { ...base, url: `/?token=${token}x` },
      { ...base, url: `/?token=${token.slice(1)}` },
      { ...base, cookie: `${TOKEN_COOKIE}=nope` },
      // Another server's cookie (cookies ignore ports) is not ours.
      { ...base, cookie: `${tokenCookieName(port + 1)}=${token}` },
      { ...base, url: '/%zz?token' },
    ]) {
      expect(checkRequest(facts, token, port)).toMatchObject({ ok: false, status: 401 });
    }
  });

  it('names the cookie after the port, so two servers on one machine keep their own', () => {
    expect(tokenCookie(token, port)).toBe(
      `auditscope_token_4123=${token}; Path=/; HttpOnly; SameSite=Strict`,
    );
  });

  it('refuses other Host names (DNS rebinding) and ports, whatever the token', () => {
    for (const host of [undefined, 'evil.example:4123', '127.0.0.1:80', '127.0.0.1', '10.0.0.1:4123']) {
      expect(checkRequest({ ...base, host, url: `/?token=${token}` }, token, port)).toMatchObject({
        ok: false,
        status: 403,
      });
    }
  });

  it('refuses WebSockets from foreign origins even with the cookie', () => {
    const ws = { ...base, cookie: `${TOKEN_COOKIE}=${token}` };
    expect(checkRequest({ ...ws, origin: `http://127.0.0.1:${port}` }, token, port, true).ok).toBe(true);
    for (const origin of [undefined, 'null', 'https://evil.example', `http://127.0.0.1:${port + 1}`]) {
      expect(checkRequest({ ...ws, origin }, token, port, true)).toMatchObject({ ok: false, status: 403 });
    }
  });
});
