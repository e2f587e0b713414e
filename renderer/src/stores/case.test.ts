import { beforeEach, describe, expect, it } from 'vitest';
import { useCase } from './case.ts';
import { useImports } from './imports.ts';
import { useWorkspace } from './workspace.ts';

const initial = {
  workspace: useWorkspace.getState(),
  imports: useImports.getState(),
  case: useCase.getState(),
};
beforeEach(() => {
  useWorkspace.setState(initial.workspace, true);
  useImports.setState(initial.imports, true);
  useCase.setState(initial.case, true);
});

describe('case switch', () => {
  it('keeps the workspace when the engine first names the case', () => {
    useWorkspace.getState().setSearchText('action:GetObject');
    useCase.getState().switched({ path: '/cases/a.auditscope', name: 'a' });
    expect(useWorkspace.getState().searchText).toBe('action:GetObject');
    expect(useImports.getState().dataVersion).toBe(0);
  });

  it('starts filters, cursor and details afresh in another case, keeping the analyst’s settings', () => {
    useCase.getState().switched({ path: '/cases/a.auditscope', name: 'a' });
    const workspace = useWorkspace.getState();
    workspace.setSearchText('action:GetObject');
    workspace.addChip({ field: 'actor', value: 'alice', negated: false });
    workspace.setPreset('7d');
    workspace.openDetail(42);
    workspace.setCursor(9);
    workspace.setZone('Europe/Paris');
    workspace.setTheme('light');
    useImports.getState().start('j1', ['x.json'], 0);

    useCase.getState().switched({ path: '/cases/b.auditscope', name: 'b' });
    const after = useWorkspace.getState();
    expect(after).toMatchObject({
      searchText: '',
      searchFilter: undefined,
      chips: [],
      preset: 'all',
      detailSeq: undefined,
      cursor: 0,
      zone: 'Europe/Paris',
      theme: 'light',
    });
    expect(useImports.getState().job).toBeUndefined();
    expect(useImports.getState().dataVersion).toBe(1);
    expect(useCase.getState().info?.name).toBe('b');
  });
});
