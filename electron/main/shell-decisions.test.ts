// The small decisions of the desktop shell: which case a launch names, permissions, quitting.
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { caseFileInArgs } from './launch-args.ts';
import { decidePermissions, type PermissionSession } from './permissions.ts';
import { quitAfterClosing } from './shutdown.ts';

describe('the case a launch names', () => {
  it('finds a case file among Electron and Chromium arguments, resolved where the launch ran', () => {
    expect(caseFileInArgs(['/opt/Auditscope/auditscope', 'Incident.AUDITSCOPE'], '/home/a')).toBe(
      path.resolve('/home/a/Incident.AUDITSCOPE'),
    );
    expect(
      caseFileInArgs(['electron', '/repo/out/main/index.js', '--no-sandbox', '/cases/x.auditscope'], '/'),
    ).toBe(path.resolve('/cases/x.auditscope'));
    expect(caseFileInArgs(['auditscope', '--user-data-dir=/x.auditscope', 'notes.txt'], '/')).toBeUndefined();
    expect(caseFileInArgs(['auditscope'], '/')).toBeUndefined();
    // A Linux file manager's %U: a percent-encoded file URL.
    expect(caseFileInArgs(['auditscope', 'file:///home/a/Incident%2042.auditscope'], '/tmp')).toBe(
      path.resolve('/home/a/Incident 42.auditscope'),
    );
    expect(caseFileInArgs(['auditscope', 'file://remote-host/x.auditscope'], '/tmp')).toBeUndefined();
  });
});

describe('permissions', () => {
  type Request = (c: unknown, p: string, cb: (g: boolean) => void, d: { requestingUrl?: string }) => void;
  type Check = (c: unknown, p: string, origin: string, d: unknown) => boolean;
  const handlers: { request?: Request; check?: Check; device?: () => boolean } = {};
  decidePermissions(
    {
      setPermissionRequestHandler: (handler) => (handlers.request = handler),
      setPermissionCheckHandler: (handler) => (handlers.check = handler),
      setDevicePermissionHandler: (handler) => (handlers.device = handler),
    } satisfies PermissionSession,
    'app://auditscope',
  );
  const request = (permission: string, url: string): boolean[] => {
    const granted: boolean[] = [];
    handlers.request?.({}, permission, (g) => granted.push(g), { requestingUrl: url });
    return granted;
  };

  it('refuses every permission, asked or checked, to anyone', () => {
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'midiSysex', 'hid']) {
      expect(request(permission, 'app://auditscope/index.html'), permission).toEqual([false]);
      expect(handlers.check?.({}, permission, 'app://auditscope', {}), permission).toBe(false);
    }
    expect(handlers.device?.()).toBe(false);
  });

  it.each(['clipboard-sanitized-write', 'notifications'])(
    'grants %s to our own page, and only to it',
    (permission) => {
      expect(request(permission, 'app://auditscope/index.html')).toEqual([true]);
      expect(handlers.check?.({}, permission, 'app://auditscope', {})).toBe(true);
      for (const other of [
        'https://evil.example/',
        'app://auditscope.evil/',
        'file:///x',
        'data:text/html,x',
        'nonsense',
      ]) {
        expect(request(permission, other), other).toEqual([false]);
        expect(handlers.check?.({}, permission, other, {}), other).toBe(false);
      }
    },
  );
});

describe('quitting', () => {
  it('closes the case once, however often quit is asked, then quits for real', async () => {
    let finishClose = (): void => undefined;
    const close = vi.fn(() => new Promise<void>((resolve) => (finishClose = resolve)));
    const quit = vi.fn();
    const beforeQuit = quitAfterClosing({ close, quit, timeoutMs: 10_000 });
    const events = [0, 1, 2].map(() => ({ preventDefault: vi.fn() }));
    for (const event of events) beforeQuit(event);
    expect(events.every((e) => e.preventDefault.mock.calls.length === 1)).toBe(true);
    expect([close.mock.calls.length, quit.mock.calls.length]).toEqual([1, 0]);
    finishClose();
    await vi.waitFor(() => expect(quit).toHaveBeenCalledTimes(1));
    // The quit that follows is let through.
    const last = { preventDefault: vi.fn() };
    beforeQuit(last);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });

  it('quits anyway when closing fails or hangs', async () => {
    const failedQuit = vi.fn();
    const log: string[] = [];
    quitAfterClosing({
      close: () => Promise.reject(new Error('disk gone')),
      quit: failedQuit,
      timeoutMs: 10_000,
      log: (m) => log.push(m),
    })({
      preventDefault: () => undefined,
    });
    await vi.waitFor(() => expect(failedQuit).toHaveBeenCalledTimes(1));
    expect(log).toEqual(['closing the case failed: Error: disk gone']);

    const hungQuit = vi.fn();
    quitAfterClosing({ close: () => new Promise(() => undefined), quit: hungQuit, timeoutMs: 50 })({
      preventDefault: () => undefined,
    });
    await vi.waitFor(() => expect(hungQuit).toHaveBeenCalledTimes(1));
  });
});
