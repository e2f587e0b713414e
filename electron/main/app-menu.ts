import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/contract.ts';
import type { RecentCase } from '../../shared/domain/case.ts';

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** The recent cases, newest first; the open one is left out of "Open Recent". */
  recent: readonly RecentCase[];
  openCase: string;
  /** Developer tools only in development builds (never in a packaged app). */
  devTools: boolean;
  /** Asks the page to run a command, as if its own control had been used. */
  send: (command: MenuCommand) => void;
  about: () => void;
}

/**
 * The application menu. Every entry that acts on the workspace is a command the page runs through
 * its own controls, so the menu, the buttons and the shortcuts can never disagree; the rest are
 * Electron's standard roles.
 */
export function appMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const command = (
    label: string,
    name: Exclude<MenuCommand['command'], 'case.openPath'>,
    accelerator?: string,
  ) => ({
    id: name,
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => options.send({ command: name }),
  });
  const recent = options.recent.filter((r) => r.exists && r.path !== options.openCase);
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      command('New Case…', 'case.new', 'CmdOrCtrl+N'),
      command('Open Case…', 'case.open', 'CmdOrCtrl+O'),
      command('Verify Case…', 'case.verify'),
      {
        id: 'open-recent',
        label: 'Open Recent',
        submenu:
          recent.length === 0
            ? [{ label: 'No Recent Cases', enabled: false }]
            : recent.map((r) => ({
                label: menuLabel(`${r.name} — ${r.path}`),
                click: () => options.send({ command: 'case.openPath', path: r.path }),
              })),
      },
      { type: 'separator' },
      command('Import Files…', 'import.files', 'CmdOrCtrl+I'),
      command('Import Folder…', 'import.folder'),
      command('Connect to a Database…', 'sources.open', 'CmdOrCtrl+K'),
      command('Export…', 'export.open', 'CmdOrCtrl+E'),
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      command('Find…', 'search.focus', 'CmdOrCtrl+F'),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      command('Logs', 'view.logs', 'CmdOrCtrl+1'),
      command('Timeline', 'view.timeline', 'CmdOrCtrl+2'),
      command('Investigation', 'view.investigation', 'CmdOrCtrl+3'),
      command('Actors', 'view.actors', 'CmdOrCtrl+4'),
      command('Detections', 'view.detections', 'CmdOrCtrl+5'),
      command('Dashboard', 'view.dashboard', 'CmdOrCtrl+6'),
      { type: 'separator' },
      command('Toggle Light/Dark Theme', 'theme.toggle'),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(options.devTools ? [{ type: 'separator' as const }, { role: 'toggleDevTools' as const }] : []),
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      command('Keyboard Shortcuts and Search Syntax', 'help.shortcuts', 'F1'),
      ...(mac ? [] : [{ type: 'separator' as const }, { label: 'About Auditscope', click: options.about }]),
    ],
  };
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    file,
    edit,
    view,
    ...(mac ? [{ role: 'windowMenu' as const }] : []),
    help,
  ];
}

/** A file name shown in a menu: `&` would otherwise become a Windows/Linux access key. */
function menuLabel(text: string): string {
  return text.replaceAll('&', '&&');
}
