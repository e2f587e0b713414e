import type { BrowserWindowConstructorOptions } from 'electron';
import { MIN_SIZE, type Rect } from './window-state.ts';

/**
 * The session partition the window uses: persistent (the page keeps its settings) and created
 * with `cache: false` in main, so nothing the page loads is written to a disk cache.
 */
export const APP_PARTITION = 'persist:auditscope';

/** What every window of ours is: sandboxed, isolated, no Node anywhere, no webviews, no extras. */
const ISOLATED = {
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
  spellcheck: false,
} as const satisfies Electron.WebPreferences;

/**
 * The only way the main window is configured (checklist items 2–4, 6, 8–11): sandboxed, isolated, no
 * Node, no webviews, no experimental or extra Blink features, developer tools only in development.
 * Nothing from outside is ever spread into webPreferences.
 */
export function mainWindowOptions(options: {
  preload: string;
  devTools: boolean;
  bounds: Partial<Rect> & { width: number; height: number };
  icon?: string;
}): BrowserWindowConstructorOptions {
  return {
    ...options.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    backgroundColor: '#0f1115',
    title: 'Auditscope',
    ...(options.icon === undefined ? {} : { icon: options.icon }),
    webPreferences: {
      preload: options.preload,
      partition: APP_PARTITION,
      ...ISOLATED,
      // A middle click would otherwise open links in a new window (1Password does the same).
      disableBlinkFeatures: 'Auxclick',
      devTools: options.devTools,
    },
  };
}

/** The in-memory partition reports print in: nothing of theirs touches the app's own session. */
export const REPORT_PARTITION = 'auditscope-report-print';

/**
 * The hidden window a report is printed to PDF in: no script at all (a report has none, and log
 * text in it must never run), no preload, sandboxed, its own in-memory session.
 */
export function reportPrintWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 1000,
    height: 1400,
    webPreferences: { javascript: false, partition: REPORT_PARTITION, ...ISOLATED, devTools: false },
  };
}
