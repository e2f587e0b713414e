// The same contract tests over both transports: serve mode's WebSocket and the Electron IPC
// handler (its decision function; Electron itself cannot run here). Both must validate at the
// engine side and answer with the same outcomes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { existsSync, writeFileSync } from 'node:fs';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { CaseHost } from '../../electron/engine/cases/case-host.ts';
import { implementContract } from '../../electron/engine/dispatch.ts';
import { createCallHandler } from '../../electron/main/ipc-handler.ts';
import { startServer, type RunningServer } from '../../electron/server/serve.ts';
import type { CallOutcome } from '../../shared/contract.ts';
import { SOCKET_PATH, type ServerMessage } from '../../shared/transport.ts';
import { dataset } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';

type Caller = (call: unknown, args: unknown) => Promise<CallOutcome<unknown>>;

const temp = tempDir();
let session: CaseSession;
let cases: CaseHost;
let server: RunningServer;
let socket: WebSocket;
const callers: Record<string, Caller> = {};

function socketCaller(ws: WebSocket): Caller {
  let nextId = 1;
  const waiting = new Map<number, (outcome: CallOutcome<unknown>) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    if ('id' in message) waiting.get(message.id)?.(message.outcome);
  });
  return (call, args) =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ id, call, args }));
    });
}

function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
  });
}

beforeAll(async () => {
  session = await CaseSession.open(temp.file('transports.auditscope'));
  await session.import([dataset('okta-system-log')]);
  cases = new CaseHost(session);
  server = await startServer({ cases, rendererDir: temp.file('no-ui'), token: 'test-token-0123456789' });
  const origin = `http://127.0.0.1:${server.port}`;
  socket = await openSocket(`ws://127.0.0.1:${server.port}${SOCKET_PATH}?token=test-token-0123456789`, {
    Origin: origin,
  });
  callers.websocket = socketCaller(socket);
  const handle = createCallHandler(implementContract(cases));
  callers.ipc = (call, args) => handle({ isMainFrame: true }, call, args);
});

afterAll(async () => {
  socket?.close();
  await server?.close();
  await cases?.close();
  temp.cleanup();
});

describe.each(['websocket', 'ipc'])('contract over %s', (transport) => {
  const caller = (): Caller => callers[transport] as Caller;

  it('answers calls with the engine result', async () => {
    const stats = await caller()('case.stats', []);
    expect(stats).toMatchObject({ ok: true, value: { events: 50 } });
    const handle = await caller()('query.open', [
      { filter: { kind: 'field', field: 'source', op: 'eq', value: 'okta' } },
    ]);
    expect(handle.ok).toBe(true);
    const h = (handle as { value: string }).value;
    expect(await caller()('query.count', [h])).toEqual({ ok: true, value: 50 });
    const rows = (await caller()('query.rows', [h, 10, 5])) as { ok: true; value: { source: string }[] };
    expect(rows.value).toHaveLength(5);
    expect(rows.value.every((row) => row.source === 'okta')).toBe(true);
    expect(await caller()('query.close', [h])).toEqual({ ok: true });
  });

  it('refuses unknown calls and malformed arguments before anything runs', async () => {
    expect(await caller()('fs.readFile', ['/etc/passwd'])).toMatchObject({
      ok: false,
      error: { code: 'unknown-call' },
    });
    expect(await caller()('__proto__', [])).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    for (const args of [
      ['r1', -1, 10],
      ['r1', 0, 1e9],
      ["r1'; DROP TABLE events; --", 0, 10],
      [{ handle: 'r1' }, 0, 10],
      'not an array',
      null,
    ]) {
      expect(await caller()('query.rows', args)).toMatchObject({
        ok: false,
        error: { code: 'invalid-arguments' },
      });
    }
    let deep: unknown = { kind: 'text', text: 'x', phrase: false };
    for (let i = 0; i < 1_000; i++) deep = { kind: 'not', child: deep };
    expect(await caller()('query.open', [{ filter: deep }])).toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments' },
    });
  });

  it('reports engine failures as data', async () => {
    expect(await caller()('query.count', ['r999999'])).toMatchObject({
      ok: false,
      error: { code: 'failed' },
    });
  });
});

describe('serve-mode access', () => {
  it('refuses pages and sockets without the token, from other hosts or origins', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    const withToken = await fetch(`${base}/?token=test-token-0123456789`);
    // No UI is built into this temp folder: the token passed, the file is missing.
    expect(withToken.status).toBe(404);
    expect(withToken.headers.get('set-cookie')).toMatch(
      new RegExp(`auditscope_token_${server.port}=test-token-0123456789; .*HttpOnly; SameSite=Strict`),
    );
    expect(withToken.headers.get('content-security-policy')).toContain("script-src 'self'");
    const ws = `ws://127.0.0.1:${server.port}${SOCKET_PATH}`;
    await expect(openSocket(ws, { Origin: base })).rejects.toThrow(/401/);
    await expect(
      openSocket(`${ws}?token=test-token-0123456789`, { Origin: 'https://evil.example' }),
    ).rejects.toThrow(/403/);
    await expect(
      openSocket(`${ws}?token=test-token-0123456789`, { Origin: base, Host: `evil.example:${server.port}` }),
    ).rejects.toThrow(/403/);
  });

  it('exports by a form our page posts, never for another origin or without the token', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const cookie = `auditscope_token_${server.port}=test-token-0123456789`;
    const form = (request: unknown) => new URLSearchParams({ request: JSON.stringify(request) }).toString();
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${base}/export`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    const request = { query: { order: 'asc' }, format: 'ndjson' };
    // Another page on this machine (another port of 127.0.0.1 is another origin), or none.
    expect((await post({ cookie, Origin: 'http://127.0.0.1:1' }, form(request))).status).toBe(403);
    expect((await post({ cookie }, form(request))).status).toBe(403);
    expect(
      (await post({ cookie, Origin: 'null', 'Sec-Fetch-Site': 'same-site' }, form(request))).status,
    ).toBe(403);
    expect((await post({ Origin: base }, form(request))).status).toBe(401);
    expect((await post({ cookie, Origin: base }, form({ format: 'exe' }))).status).toBe(400);
    // A GET of the old link form is no export.
    expect(
      (
        await fetch(`${base}/export?request=${encodeURIComponent(JSON.stringify(request))}`, {
          headers: { cookie },
        })
      ).status,
    ).not.toBe(200);
    const response = await post({ cookie, Origin: base }, form(request));
    expect(response.status).toBe(200);
    const lines = (await response.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(await session.read.total({}));
  });

  it('stores files the page uploads, from our origin only, and imports them by path', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const cookie = `auditscope_token_${server.port}=test-token-0123456789`;
    const body = (await import('node:fs')).readFileSync(
      dataset('github-audit', 'azure-sentinel-sample', 'Github_sample_logs.json'),
    );
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/upload`, { method: 'POST', headers: { cookie, ...headers }, body });
    expect((await post({ 'X-File-Name': 'x.json' })).status).toBe(403);
    expect((await post({ Origin: 'https://evil.example', 'X-File-Name': 'x.json' })).status).toBe(403);
    expect(
      (await fetch(`${base}/upload`, { method: 'POST', headers: { Origin: base, 'X-File-Name': 'x' }, body }))
        .status,
    ).toBe(401);
    const response = await post({ Origin: base, 'X-File-Name': encodeURIComponent('../github audit.json') });
    expect(response.status).toBe(200);
    const { path: stored } = (await response.json()) as { path: string };
    expect(stored.startsWith(`${session.path}.uploads/`)).toBe(true);
    expect(stored.endsWith('-github audit.json')).toBe(true);
    // An import started in another case (the page's case changed during the upload) is refused.
    expect(
      await (callers.ipc as Caller)('import.files', [[stored], { casePath: temp.file('other.auditscope') }]),
    ).toMatchObject({ ok: false, error: { message: expect.stringMatching(/another case was opened/) } });
    const summary = await (callers.ipc as Caller)('import.files', [
      [stored],
      { casePath: cases.info().path },
    ]);
    expect(summary).toMatchObject({ ok: true, value: { totals: { rejected: 0 } } });
  });

  it('answers a malformed frame with an error and keeps serving', async () => {
    const replies: ServerMessage[] = [];
    const listener = (data: WebSocket.RawData): void => {
      replies.push(JSON.parse(String(data)) as ServerMessage);
    };
    socket.on('message', listener);
    socket.send('{not json');
    socket.send(JSON.stringify({ id: -1, call: 'case.stats', args: [] }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.off('message', listener);
    expect(replies.filter((r) => 'error' in r)).toHaveLength(2);
    expect(await (callers.websocket as Caller)('case.stats', [])).toMatchObject({ ok: true });
  });

  it('pushes import progress to connected pages', async () => {
    const pushes: string[] = [];
    const listener = (data: WebSocket.RawData): void => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if ('push' in message) pushes.push(message.push);
    };
    socket.on('message', listener);
    await session.import([dataset('github-audit')]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.off('message', listener);
    expect(pushes).toContain('import.progress');
  });

  it('closes the result handles of a page that goes away', async () => {
    const page = await openSocket(`ws://127.0.0.1:${server.port}${SOCKET_PATH}?token=test-token-0123456789`, {
      Origin: `http://127.0.0.1:${server.port}`,
    });
    const opened = await socketCaller(page)('query.open', [{}]);
    const handle = (opened as { value: string }).value;
    expect(await (callers.ipc as Caller)('query.count', [handle])).toMatchObject({ ok: true });
    page.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await (callers.ipc as Caller)('query.count', [handle])).toMatchObject({
      ok: false,
      error: { code: 'failed' },
    });
  });
});

describe('switching cases', () => {
  it('creates and opens cases under the same connection, pushing the switch', async () => {
    const ws = callers.websocket as Caller;
    const pushes: unknown[] = [];
    const listener = (data: WebSocket.RawData): void => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if ('push' in message && message.push === 'case.switched') pushes.push(message.payload);
    };
    socket.on('message', listener);
    const first = session.path;
    const created = await ws('case.create', [temp.file('second')]);
    expect(created).toEqual({ ok: true, value: { path: temp.file('second.auditscope'), name: 'second' } });
    expect(existsSync(temp.file('second.auditscope'))).toBe(true);
    expect(await ws('case.stats', [])).toMatchObject({ ok: true, value: { events: 0 } });
    expect(await ws('case.current', [])).toMatchObject({ ok: true, value: { name: 'second' } });

    // Refusals leave the analyst in the case they were in.
    expect(await ws('case.create', [temp.file('second.auditscope')])).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/already exists/) },
    });
    expect(await ws('case.open', [temp.file('missing.auditscope')])).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/no case file/) },
    });
    writeFileSync(temp.file('notes.txt'), 'not a database');
    expect(await ws('case.open', [temp.file('notes.txt')])).toMatchObject({ ok: false });
    expect(await ws('case.current', [])).toMatchObject({ ok: true, value: { name: 'second' } });

    expect(await ws('case.open', [first])).toMatchObject({ ok: true, value: { path: first } });
    expect(await ws('case.stats', [])).toMatchObject({ ok: true, value: { events: expect.any(Number) } });
    expect(((await ws('case.stats', [])) as { value: { events: number } }).value.events).toBeGreaterThan(50);
    const recent = (await ws('case.recent', [])) as { value: { path: string; exists: boolean }[] };
    expect(recent.value.map((r) => r.path).slice(0, 2)).toEqual([first, temp.file('second.auditscope')]);
    socket.off('message', listener);
    expect(pushes).toEqual([
      { path: temp.file('second.auditscope'), name: 'second' },
      { path: first, name: expect.any(String) },
    ]);
  });
});
