import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from './window-options.ts';

describe('main window options', () => {
  it('sandboxes the renderer: isolation on, no Node, no webview', () => {
    expect(mainWindowOptions('/app/preload/index.cjs').webPreferences).toEqual({
      preload: '/app/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    });
  });
});
