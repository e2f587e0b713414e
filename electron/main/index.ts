// Composition root of the desktop app: one window, the engine behind the contract. Thin by design:
// everything it decides lives in small modules with unit tests (window-options.ts).
import { app, BrowserWindow, ipcMain } from 'electron';
import path from 'node:path';
import { CaseSession } from '../engine/case-session.ts';
import { dispatch, implementContract } from '../engine/dispatch.ts';
import { mainWindowOptions } from './window-options.ts';

const CALL_CHANNEL = 'auditscope:call';

async function start(): Promise<void> {
  await app.whenReady();
  const casePath =
    process.argv.find((arg) => arg.endsWith('.auditscope')) ??
    path.join(app.getPath('userData'), 'demo.auditscope');
  const session = await CaseSession.open(casePath);
  const implementation = implementContract(session);

  const window = new BrowserWindow(mainWindowOptions(path.join(import.meta.dirname, '../preload/index.cjs')));
  ipcMain.handle(CALL_CHANNEL, (event, call: unknown, args: unknown) => {
    // Only our own top-level page may call the engine.
    if (event.senderFrame !== window.webContents.mainFrame) {
      return {
        ok: false,
        error: { code: 'forbidden', message: 'calls are accepted from the main window only' },
      };
    }
    return dispatch(implementation, call, args);
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  if (process.env.ELECTRON_RENDERER_URL) await window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await window.loadFile(path.join(import.meta.dirname, '../renderer/index.html'));

  app.on('window-all-closed', () => {
    void session.close().then(() => app.quit());
  });
}

void start();
