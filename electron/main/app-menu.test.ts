import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MenuCommand } from '../../shared/contract.ts';
import { appMenuTemplate, type MenuOptions } from './app-menu.ts';

function menu(overrides: Partial<MenuOptions> = {}) {
  const sent: MenuCommand[] = [];
  const abouts: number[] = [];
  const template = appMenuTemplate({
    platform: 'linux',
    recent: [],
    openCase: '/cases/open.auditscope',
    devTools: false,
    send: (command) => sent.push(command),
    about: () => abouts.push(1),
    ...overrides,
  });
  return { template, sent, abouts };
}

/** Every item of the menu, depth first. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as (() => void) | undefined)?.();

describe('the application menu', () => {
  it('has File, Edit, View and Help, with the case and import commands', () => {
    const { template, sent } = menu();
    expect(template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
    const byId = new Map(items(template).map((item) => [item.id, item]));
    for (const [id, accelerator] of [
      ['case.new', 'CmdOrCtrl+N'],
      ['case.open', 'CmdOrCtrl+O'],
      ['case.verify', undefined],
      ['import.files', 'CmdOrCtrl+I'],
      ['import.folder', undefined],
      ['sources.open', 'CmdOrCtrl+K'],
      ['export.open', 'CmdOrCtrl+E'],
      ['search.focus', 'CmdOrCtrl+F'],
      ['view.logs', 'CmdOrCtrl+1'],
      ['view.timeline', 'CmdOrCtrl+2'],
      ['view.investigation', 'CmdOrCtrl+3'],
      ['view.actors', 'CmdOrCtrl+4'],
      ['view.detections', 'CmdOrCtrl+5'],
      ['view.dashboard', 'CmdOrCtrl+6'],
      ['theme.toggle', undefined],
      ['help.shortcuts', 'F1'],
    ] as const) {
      expect(byId.get(id)?.accelerator, id).toBe(accelerator);
      click(byId.get(id));
    }
    expect(sent.map((c) => c.command)).toEqual([
      'case.new',
      'case.open',
      'case.verify',
      'import.files',
      'import.folder',
      'sources.open',
      'export.open',
      'search.focus',
      'view.logs',
      'view.timeline',
      'view.investigation',
      'view.actors',
      'view.detections',
      'view.dashboard',
      'theme.toggle',
      'help.shortcuts',
    ]);
  });

  it('lists recent cases that still exist, not the open one, with & kept literal', () => {
    const { template, sent } = menu({
      recent: [
        { path: '/cases/open.auditscope', name: 'open', exists: true },
        { path: '/cases/R&D.auditscope', name: 'R&D', exists: true },
        { path: '/gone/old.auditscope', name: 'old', exists: false },
      ],
    });
    const recent = items(template).find((item) => item.id === 'open-recent');
    const entries = recent?.submenu as MenuItemConstructorOptions[];
    expect(entries.map((e) => e.label)).toEqual(['R&&D — /cases/R&&D.auditscope']);
    click(entries[0]);
    expect(sent).toEqual([{ command: 'case.openPath', path: '/cases/R&D.auditscope' }]);
    const empty = items(menu().template).find((item) => item.id === 'open-recent');
    expect(empty?.submenu).toEqual([{ label: 'No Recent Cases', enabled: false }]);
  });

  it('offers developer tools only in development builds', () => {
    const roles = (devTools: boolean) => items(menu({ devTools }).template).map((item) => item.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('toggleDevTools');
  });

  it('follows the platform: the app and window menus on macOS, About and Quit elsewhere', () => {
    const mac = menu({ platform: 'darwin' });
    expect(mac.template.map((m) => m.role ?? m.label)).toEqual([
      'appMenu',
      '&File',
      '&Edit',
      '&View',
      'windowMenu',
      'help',
    ]);
    expect(items(mac.template).map((i) => i.role)).toContain('close');
    const linux = menu();
    const about = items(linux.template).find((item) => item.label === 'About Auditscope');
    click(about);
    expect(linux.abouts).toEqual([1]);
    expect(items(linux.template).map((i) => i.role)).toContain('quit');
  });
});
