// Composition root of the desktop app: one window, the engine behind the contract. Thin by design:
// everything it decides lives in small modules with unit tests (window-options.ts).
import { app, BrowserWindow, ipcMain } from 'electron';
import path from 'node:path';
import { CaseSession } from '../engine/case-session.ts';
import { CaseHost } from '../engine/cases/case-host.ts';
import { openDemoCase } from '../engine/cases/demo-case.ts';
import { forwardPushes, implementContract } from '../engine/dispatch.ts';
import { createCallHandler } from './ipc-handler.ts';
import { CALL_CHANNEL, PUSH_CHANNEL } from '../../shared/transport.ts';
import { mainWindowOptions } from './window-options.ts';

async function start(): Promise<void> {
  await app.whenReady();
  const casePath = process.argv.find((arg) => arg.endsWith('.auditscope'));
  // First launch (no case named): the demo case, built once from the bundled sample logs.
  const session =
    casePath === undefined
      ? await openDemoCase(
          path.join(app.getPath('userData'), 'demo.auditscope'),
          path.join(app.getAppPath(), 'resources', 'demo'),
        )
      : await CaseSession.open(casePath);
  const cases = new CaseHost(session, {
    recentFile: path.join(app.getPath('userData'), 'recent-cases.json'),
  });
  const handleCall = createCallHandler(implementContract(cases));

  const window = new BrowserWindow(mainWindowOptions(path.join(import.meta.dirname, '../preload/index.cjs')));
  ipcMain.handle(CALL_CHANNEL, (event, call: unknown, args: unknown) =>
    // Only our own top-level page may call the engine.
    handleCall({ isMainFrame: event.senderFrame === window.webContents.mainFrame }, call, args),
  );
  const stopPushes = forwardPushes(cases, (push, payload) => {
    if (!window.isDestroyed()) window.webContents.send(PUSH_CHANNEL, push, payload);
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  if (process.env.ELECTRON_RENDERER_URL) await window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await window.loadFile(path.join(import.meta.dirname, '../renderer/index.html'));

  app.on('window-all-closed', () => {
    stopPushes();
    void cases.close().then(() => app.quit());
  });
}

void start();
