import { beforeEach, describe, expect, it } from 'vitest';
import { useWorkspace } from './workspace.ts';

const initial = useWorkspace.getState();
beforeEach(() => useWorkspace.setState(initial, true));

describe('workspace store', () => {
  it('keeps the last valid search while the text has an error', () => {
    const { setSearchText } = useWorkspace.getState();
    setSearchText('actor:alice');
    const good = useWorkspace.getState().searchFilter;
    expect(good).toEqual({ kind: 'field', field: 'actor', op: 'eq', value: 'alice' });
    setSearchText('actor:(');
    expect(useWorkspace.getState().searchError?.message).toBeTruthy();
    expect(useWorkspace.getState().searchFilter).toBe(good);
    setSearchText('');
    expect(useWorkspace.getState()).toMatchObject({ searchFilter: undefined, searchError: undefined });
  });

  it('adds a chip once, toggles and removes it, and resets the cursor', () => {
    const state = useWorkspace.getState();
    state.setCursor(40);
    state.addChip({ field: 'ip', value: '1.2.3.4', negated: false });
    state.addChip({ field: 'ip', value: '1.2.3.4', negated: false });
    expect(useWorkspace.getState().chips).toHaveLength(1);
    expect(useWorkspace.getState().cursor).toBe(0);
    useWorkspace.getState().toggleChip(0);
    expect(useWorkspace.getState().chips[0]?.negated).toBe(true);
    useWorkspace.getState().removeChip(0);
    expect(useWorkspace.getState().chips).toEqual([]);
  });

  it('shows a table read in place in Logs until the analyst goes back, to another view or case', () => {
    const remote = {
      scope: { source: 'src-abcd', table: 'public.log', mapping: { time: 'at' } },
      label: 'db (PostgreSQL) ▸ public.log',
    };
    const state = useWorkspace.getState();
    state.setView('timeline');
    state.openDetail(12);
    state.setCursor(40);
    state.readInPlace(remote);
    // Logs, on the table's first row: a case's event or position means nothing there.
    expect(useWorkspace.getState()).toMatchObject({ remote, view: 'logs', detailSeq: undefined, cursor: 0 });
    useWorkspace.getState().setView('logs');
    expect(useWorkspace.getState().remote).toBe(remote);
    // The other views work over the case.
    useWorkspace.getState().setView('actors');
    expect(useWorkspace.getState().remote).toBeUndefined();
    useWorkspace.getState().readInPlace(remote);
    useWorkspace.getState().showEvent(7, 1_000);
    expect(useWorkspace.getState()).toMatchObject({ remote: undefined, detailSeq: 7 });
    useWorkspace.getState().readInPlace(remote);
    useWorkspace.getState().resetForCase();
    expect(useWorkspace.getState().remote).toBeUndefined();
  });

  it('re-anchors a preset when it is chosen', () => {
    const before = useWorkspace.getState().presetAnchor;
    useWorkspace.getState().setPreset('7d');
    expect(useWorkspace.getState().preset).toBe('7d');
    expect(useWorkspace.getState().presetAnchor).toBeGreaterThanOrEqual(before);
    useWorkspace.getState().setCustomRange(1, 2);
    expect(useWorkspace.getState()).toMatchObject({ preset: 'custom', customFrom: 1, customTo: 2 });
  });

  it('selects one row, toggles rows, and extends from the cursor', () => {
    const state = useWorkspace.getState();
    state.selectRow(5, 'only');
    expect(useWorkspace.getState()).toMatchObject({ cursor: 5, selected: [] });
    useWorkspace.getState().selectRow(8, 'extend');
    expect(useWorkspace.getState().selected).toEqual([5, 6, 7, 8]);
    useWorkspace.getState().selectRow(6, 'toggle');
    expect(useWorkspace.getState().selected).toEqual([5, 7, 8]);
    useWorkspace.getState().setSearchText('actor:x');
    expect(useWorkspace.getState().selected).toEqual([]);
  });
});
