import { create } from 'zustand';
import type { CaseInfo, RecentCase } from '../../../shared/domain/case.ts';
import { useImports } from './imports.ts';
import { useWorkspace } from './workspace.ts';
import { useMarks } from './marks.ts';

interface CaseState {
  /** The case the workspace shows; undefined until the engine has said. */
  info: CaseInfo | undefined;
  recent: RecentCase[];
  setRecent(recent: RecentCase[]): void;
  /**
   * The engine opened `info` (our own "Open case", or another window's): the previous case's
   * result handles are gone, so filters, selection and details start afresh and every view
   * re-queries. Column layout, theme and time zone are the analyst's, not the case's: they stay.
   */
  switched(info: CaseInfo): void;
}

export const useCase = create<CaseState>()((set, get) => ({
  info: undefined,
  recent: [],
  setRecent: (recent) => set({ recent }),
  switched: (info) => {
    const previous = get().info;
    set({ info });
    if (previous === undefined || previous.path === info.path) return;
    useWorkspace.getState().resetForCase();
    useImports.getState().caseChanged();
    useMarks.getState().clear();
  },
}));
