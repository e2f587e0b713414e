import { describe, expect, it } from 'vitest';
import { createCallHandler, trustedSender } from './ipc-handler.ts';
import type { Implementation } from '../engine/dispatch.ts';

const APP = 'file:///opt/Auditscope/resources/app.asar/out/renderer/index.html';

describe('IPC sender check', () => {
  it('trusts only our page in our window’s top-level frame', () => {
    expect(trustedSender({ isMainFrame: true, frameUrl: APP, appUrl: APP })).toBe(true);
    for (const sender of [
      { isMainFrame: false, frameUrl: APP, appUrl: APP }, // an iframe of our own page
      { isMainFrame: true, frameUrl: 'https://evil.example/', appUrl: APP }, // a foreign page
      { isMainFrame: true, frameUrl: `${APP}#x`, appUrl: APP },
      { isMainFrame: true, frameUrl: null, appUrl: APP }, // frame gone (navigation, unload)
      { isMainFrame: true, frameUrl: undefined, appUrl: APP },
      { isMainFrame: true, frameUrl: 'file:///tmp/evil.html', appUrl: APP },
    ]) {
      expect(trustedSender(sender), JSON.stringify(sender)).toBe(false);
    }
  });

  it('refuses an untrusted sender before the call runs', async () => {
    let ran = false;
    const implementation = {
      'case.stats': async () => {
        ran = true;
        return {};
      },
    } as unknown as Implementation;
    const handle = createCallHandler(implementation);
    expect(await handle({ isMainFrame: false, frameUrl: APP, appUrl: APP }, 'case.stats', [])).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await handle({ isMainFrame: true, frameUrl: null, appUrl: APP }, 'case.stats', [])).toMatchObject({
      ok: false,
    });
    expect(ran).toBe(false);
    expect(await handle({ isMainFrame: true, frameUrl: APP, appUrl: APP }, 'case.stats', [])).toMatchObject({
      ok: true,
    });
    expect(ran).toBe(true);
  });
});
