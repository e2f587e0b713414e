import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, useColumns } from './columns.ts';

beforeEach(() => useColumns.getState().reset());

describe('columns store', () => {
  it('shows exactly a saved search’s columns in its order, keeping widths, hiding the rest', () => {
    useColumns.getState().resize('ip', 300);
    useColumns.getState().showOnly(['ip', 'raw:userIdentity.arn', 'actor', 'nonsense', 'raw:bad path']);
    const layout = useColumns.getState().layout;
    expect(layout.filter((c) => !c.hidden).map((c) => [c.id, c.width])).toEqual([
      ['ip', 300],
      ['raw:userIdentity.arn', 200],
      ['actor', 210],
    ]);
    // Nothing is lost: the other columns are hidden, there to show again.
    expect(layout).toHaveLength(DEFAULT_LAYOUT.length + 1);
    useColumns.getState().showOnly(['nonsense']);
    expect(useColumns.getState().layout).toBe(layout);
  });
});
