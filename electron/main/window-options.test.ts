import { describe, expect, it } from 'vitest';
import {
  APP_PARTITION,
  REPORT_PARTITION,
  mainWindowOptions,
  reportPrintWindowOptions,
} from './window-options.ts';

const bounds = { x: 10, y: 20, width: 1200, height: 800 };

describe('main window options', () => {
  it('sandboxes the renderer: isolation on, no Node, no webview, no extras, exactly these', () => {
    expect(
      mainWindowOptions({ preload: '/app/preload/index.cjs', devTools: false, bounds }).webPreferences,
    ).toEqual({
      preload: '/app/preload/index.cjs',
      partition: APP_PARTITION,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
      spellcheck: false,
    });
    expect(APP_PARTITION).toMatch(/^persist:/);
  });

  it('has developer tools only when asked (development builds), and opens where it was', () => {
    const options = mainWindowOptions({ preload: '/p.cjs', devTools: true, bounds, icon: '/i.png' });
    expect(options.webPreferences?.devTools).toBe(true);
    expect(options).toMatchObject({ ...bounds, icon: '/i.png', show: false, minWidth: 960, minHeight: 600 });
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(options.webPreferences).not.toHaveProperty('additionalArguments');
  });

  it('prints reports in a hidden window with no script, no preload, no persistent session', () => {
    const options = reportPrintWindowOptions();
    expect(options.show).toBe(false);
    expect(options.webPreferences).toMatchObject({
      javascript: false,
      partition: REPORT_PARTITION,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      devTools: false,
    });
    expect(options.webPreferences).not.toHaveProperty('preload');
    expect(REPORT_PARTITION).not.toMatch(/^persist:/);
  });
});
