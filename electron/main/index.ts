// Composition root of the desktop app: one window, the engine behind the contract. Thin by design:
// everything it decides lives in small modules with unit tests (window-options.ts).
import { app, BrowserWindow, dialog, ipcMain, session as electronSession, shell } from 'electron';
import path from 'node:path';
import { CaseSession } from '../engine/case-session.ts';
import { CaseHost } from '../engine/cases/case-host.ts';
import { openDemoCase } from '../engine/cases/demo-case.ts';
import { forwardPushes, implementContract } from '../engine/dispatch.ts';
import { createCallHandler } from './ipc-handler.ts';
import { CALL_CHANNEL, PUSH_CHANNEL } from '../../shared/transport.ts';
import { mainWindowOptions } from './window-options.ts';
import { openExternalSafe } from './external-links.ts';

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

  // Electron grants every permission request unless told otherwise (item 5): deny them all.
  electronSession.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  electronSession.defaultSession.setPermissionCheckHandler(() => false);
  const window = new BrowserWindow(mainWindowOptions(path.join(import.meta.dirname, '../preload/index.cjs')));
  ipcMain.handle(CALL_CHANNEL, (event, call: unknown, args: unknown) =>
    // Only our own top-level page may call the engine.
    handleCall(
      {
        isMainFrame: event.senderFrame !== null && event.senderFrame === window.webContents.mainFrame,
        frameUrl: event.senderFrame?.url ?? null,
        appUrl: window.webContents.getURL(),
      },
      call,
      args,
    ),
  );
  const stopPushes = forwardPushes(cases, (push, payload) => {
    if (!window.isDestroyed()) window.webContents.send(PUSH_CHANNEL, push, payload);
  });
  // No new windows, ever: a link meant for the browser goes through the one vetted path, which
  // shows the analyst the URL before the OS sees it (checklist items 14 and 15).
  window.webContents.setWindowOpenHandler(({ url }) => {
    void openExternalSafe(
      url,
      async (display) =>
        (
          await dialog.showMessageBox(window, {
            type: 'question',
            message: 'Open this link in your browser?',
            detail: display,
            buttons: ['Open', 'Cancel'],
            defaultId: 1,
            cancelId: 1,
          })
        ).response === 0,
      (target) => shell.openExternal(target),
    ).then((outcome) => console.info(`external link: ${outcome}`));
    return { action: 'deny' };
  });
  // The page never goes anywhere else, by navigation, redirect, sub-frame or webview (items 12, 13).
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-frame-navigate', (event) => event.preventDefault());
  window.webContents.on('will-redirect', (event) => event.preventDefault());
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  if (process.env.ELECTRON_RENDERER_URL) await window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await window.loadFile(path.join(import.meta.dirname, '../renderer/index.html'));

  app.on('window-all-closed', () => {
    stopPushes();
    void cases.close().then(() => app.quit());
  });
}

void start();
