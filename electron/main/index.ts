// Composition root of the desktop app: one window on the engine, behind the contract. Thin by
// design: everything it decides lives in small modules with unit tests beside them (window options,
// app:// protocol, sender check, permissions, menu, dialogs, placement, startup case, quitting).
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
} from 'electron';
import path from 'node:path';
import { CALL_CHANNEL, DROPPED_CHANNEL, PUSH_CHANNEL } from '../../shared/transport.ts';
import type { MenuCommand } from '../../shared/contract.ts';
import { CaseHost } from '../engine/cases/case-host.ts';
import { openDemoCase } from '../engine/cases/demo-case.ts';
import { readJsonFile, writeJsonFile } from '../engine/cases/json-file.ts';
import { RecentCases } from '../engine/cases/recent-cases.ts';
import { openStartupCase } from '../engine/cases/startup-case.ts';
import { forwardPushes, implementContract } from '../engine/dispatch.ts';
import { SourceRegistry } from '../engine/sources/source-registry.ts';
import { KeystoreSecrets } from './keystore-secrets.ts';
import { appMenuTemplate } from './app-menu.ts';
import { APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_URL, serveAppRequest } from './app-protocol.ts';
import { openExternalSafe } from './external-links.ts';
import { createCallHandler, trustedSender } from './ipc-handler.ts';
import { caseFileInArgs } from './launch-args.ts';
import { desktopImplementation } from './desktop-calls.ts';
import { PathGrants } from './path-grants.ts';
import { decidePermissions } from './permissions.ts';
import { quitAfterClosing } from './shutdown.ts';
import { APP_PARTITION, mainWindowOptions } from './window-options.ts';
import { parseSavedWindow, placeWindow } from './window-state.ts';
import { electronPdfPrinter } from './report-printer.ts';

// Before the app is ready: our scheme is a secure standard origin, and every renderer is sandboxed.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();
/**
 * Development and test builds only: a packaged app never lets its environment choose the page it
 * loads (which would then be trusted as ours) or where its settings live.
 */
const devPageUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const pageOrigin = devPageUrl === undefined ? APP_ORIGIN : new URL(devPageUrl).origin;
// A separate profile (recent cases, window placement, demo case), for tests.
if (!app.isPackaged && process.env.AUDITSCOPE_USER_DATA)
  app.setPath('userData', path.resolve(process.env.AUDITSCOPE_USER_DATA));

/** Bundled resources: beside the app in development, in the package's resources when packaged. */
const resourcesDir = app.isPackaged ? process.resourcesPath : path.join(app.getAppPath(), 'resources');
const rendererDir = path.join(import.meta.dirname, '../renderer');

let window: BrowserWindow | undefined;
/**
 * True once the page has asked for its case (its first call, made after its components have
 * subscribed to menu commands): commands sent earlier would be lost.
 */
let pageReady = false;
/** A case file handed over before the page could take it (at launch, or while it loads). */
let pendingCase: string | undefined;
/** What the analyst handed us; the page may read or open nothing else. */
const grants = new PathGrants();

/** Opens a case file the OS or a second launch handed us, through the page (it shows any error). */
function openFromOutside(file: string): void {
  grants.grant(file);
  if (window !== undefined && pageReady) send({ command: 'case.openPath', path: file });
  else pendingCase = file;
}

function send(command: MenuCommand): void {
  if (window !== undefined && !window.isDestroyed())
    window.webContents.send(PUSH_CHANNEL, 'menu.command', command);
}

// One running app: a second launch hands its case file to this one and quits.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, cwd) => {
    if (window !== undefined) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
    const file = caseFileInArgs(argv, cwd);
    if (file !== undefined) openFromOutside(file);
  });
  // macOS opens files by event (double-click in Finder, file association), maybe before ready.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    openFromOutside(file);
  });
  start().catch((error: unknown) => {
    // Never a windowless process holding the single-instance lock: say why, and exit.
    dialog.showErrorBox('Auditscope could not start', String((error as Error)?.stack ?? error));
    app.exit(1);
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const appSession = session.fromPartition(APP_PARTITION, { cache: false });
  decidePermissions(appSession, pageOrigin);
  decidePermissions(session.defaultSession, pageOrigin);
  appSession.protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));

  const recentFile = path.join(userData, 'recent-cases.json');
  const requested = pendingCase ?? caseFileInArgs(process.argv, process.cwd());
  pendingCase = undefined;
  const started = await openStartupCase({
    requested,
    recent: new RecentCases(recentFile).list(),
    openDemo: () => openDemoCase(path.join(userData, 'demo.auditscope'), path.join(resourcesDir, 'demo')),
  });
  // A file handed over while that case opened waits in pendingCase for the page.
  const cases = new CaseHost(started.session, { recentFile });

  const windowStateFile = path.join(userData, 'window-state.json');
  const placement = placeWindow(
    parseSavedWindow(readJsonFile(windowStateFile)),
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const win = new BrowserWindow(
    mainWindowOptions({
      preload: path.join(import.meta.dirname, '../preload/index.cjs'),
      devTools: !app.isPackaged,
      bounds: placement.bounds,
      icon: path.join(resourcesDir, 'icon.png'),
    }),
  );
  window = win;
  win.on('close', () =>
    writeJsonFile(windowStateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() }),
  );

  const refreshMenu = (): void =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenuTemplate({
          platform: process.platform,
          recent: cases.recent(),
          openCase: cases.info().path,
          devTools: !app.isPackaged,
          send,
          about: () =>
            void dialog.showMessageBox(win, {
              type: 'info',
              message: `Auditscope ${app.getVersion()}`,
              detail: `Electron ${process.versions.electron}\nChromium ${process.versions.chrome}\nNode ${process.versions.node}`,
            }),
        }),
      ),
    );
  refreshMenu();
  cases.onSwitch(refreshMenu);

  const sources = new SourceRegistry(
    path.join(userData, 'sources.json'),
    new KeystoreSecrets(path.join(userData, 'source-secrets.json'), safeStorage),
  );
  const handleCall = createCallHandler(
    desktopImplementation({
      engine: implementContract(cases, sources, {
        printPdf: electronPdfPrinter(),
        ruleFolders: [path.join(resourcesDir, 'rules'), path.join(userData, 'rules')],
      }),
      sources,
      cases,
      dialogs: {
        showOpenDialog: (options) => dialog.showOpenDialog(win, options),
        showSaveDialog: (options) => dialog.showSaveDialog(win, options),
      },
      grants,
      exportTargets: new PathGrants(),
      documentsDir: app.getPath('documents'),
      onRecentChanged: refreshMenu,
      onPageReady: () => {
        pageReady = true;
        if (pendingCase !== undefined) openFromOutside(pendingCase);
        pendingCase = undefined;
      },
    }),
  );
  /** Whether an IPC message comes from our own page in our window's top-level frame. */
  const fromOurPage = (event: Electron.IpcMainEvent | Electron.IpcMainInvokeEvent) => ({
    isMainFrame: event.senderFrame !== null && event.senderFrame === win.webContents.mainFrame,
    frameUrl: event.senderFrame?.url ?? null,
    appUrl: win.webContents.getURL(),
  });
  ipcMain.handle(CALL_CHANNEL, (event, call: unknown, args: unknown) =>
    // Only our own top-level page may call the engine.
    handleCall(fromOurPage(event), call, args),
  );
  ipcMain.on(DROPPED_CHANNEL, (event, file: unknown) => {
    if (trustedSender(fromOurPage(event)) && typeof file === 'string' && file.length <= 4096)
      grants.grant(file);
  });
  const stopPushes = forwardPushes(cases, (push, payload) => {
    if (!win.isDestroyed()) win.webContents.send(PUSH_CHANNEL, push, payload);
  });

  // No new windows, ever: a link meant for the browser goes through the one vetted path, which
  // shows the analyst the URL before the OS sees it (checklist items 14 and 15).
  win.webContents.setWindowOpenHandler(({ url }) => {
    void openExternalSafe(
      url,
      async (display) =>
        (
          await dialog.showMessageBox(win, {
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
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-frame-navigate', (event) => event.preventDefault());
  win.webContents.on('will-redirect', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  // A crashed page is reloaded (the case is in main, untouched), but not in a loop.
  let reloads = 0;
  win.webContents.on('render-process-gone', (_event, details) => {
    console.warn(`renderer gone: ${details.reason}`);
    if (details.reason !== 'clean-exit' && reloads++ < 3) win.webContents.reload();
  });
  // A reload (after a renderer crash) subscribes anew: commands wait for it again.
  win.webContents.on('did-start-loading', () => {
    pageReady = false;
  });
  win.once('ready-to-show', () => {
    // Maximized here, not before: maximize() on a hidden window would show it unpainted.
    if (placement.maximized) win.maximize();
    win.show();
    if (started.problems.length > 0) {
      void dialog.showMessageBox(win, {
        type: 'warning',
        message: 'Auditscope opened another case',
        detail: started.problems.join('\n'),
      });
    }
  });

  app.on(
    'before-quit',
    quitAfterClosing({
      close: async () => {
        stopPushes();
        await cases.close();
      },
      quit: () => app.quit(),
      timeoutMs: 15_000,
      log: (message) => console.warn(message),
    }),
  );
  app.on('window-all-closed', () => app.quit());

  await win.loadURL(devPageUrl ?? APP_URL);
}
