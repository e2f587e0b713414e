import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/** One column of the layout: a built-in column id, or `raw:<dotted path>` for a raw field. */
export interface ColumnLayout {
  id: string;
  width: number;
  hidden: boolean;
}

export const DEFAULT_LAYOUT: readonly ColumnLayout[] = [
  { id: 'actor', width: 210, hidden: false },
  { id: 'action', width: 230, hidden: false },
  { id: 'category', width: 110, hidden: false },
  { id: 'target', width: 200, hidden: false },
  { id: 'outcome', width: 84, hidden: false },
  { id: 'ip', width: 130, hidden: false },
  { id: 'source', width: 120, hidden: false },
  { id: 'message', width: 360, hidden: false },
];

export const MIN_WIDTH = 48;
export const MAX_WIDTH = 1200;
const RAW_PATH = /^[A-Za-z0-9_@$-]+(\.[A-Za-z0-9_@$-]+)*$/;

interface ColumnsState {
  layout: ColumnLayout[];
  resize(id: string, width: number): void;
  /** Moves column `id` to where column `before` is. */
  move(id: string, before: string): void;
  toggle(id: string): void;
  /** Adds a column for a raw field path; false when the path is not a dotted name. */
  addRawPath(path: string): boolean;
  remove(id: string): void;
  reset(): void;
  /**
   * Shows exactly these columns, in this order (a saved search's): known ones keep their width,
   * raw paths are added, unknown built-in ids are skipped; the rest are hidden, not removed.
   */
  showOnly(ids: readonly string[]): void;
}

/** The table's column layout, kept across sessions (localStorage). */
export const useColumns = create<ColumnsState>()(
  persist(
    (set) => ({
      layout: DEFAULT_LAYOUT.map((c) => ({ ...c })),
      resize: (id, width) =>
        set((state) => ({
          layout: state.layout.map((c) =>
            c.id === id ? { ...c, width: Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width))) } : c,
          ),
        })),
      move: (id, before) =>
        set((state) => {
          const moving = state.layout.find((c) => c.id === id);
          if (!moving || id === before) return state;
          const rest = state.layout.filter((c) => c.id !== id);
          const at = rest.findIndex((c) => c.id === before);
          rest.splice(at === -1 ? rest.length : at, 0, moving);
          return { layout: rest };
        }),
      toggle: (id) =>
        set((state) => ({
          layout: state.layout.map((c) => (c.id === id ? { ...c, hidden: !c.hidden } : c)),
        })),
      addRawPath: (path) => {
        const trimmed = path.trim();
        if (!RAW_PATH.test(trimmed) || trimmed.length > 256) return false;
        set((state) =>
          state.layout.some((c) => c.id === `raw:${trimmed}`)
            ? state
            : { layout: [...state.layout, { id: `raw:${trimmed}`, width: 200, hidden: false }] },
        );
        return true;
      },
      remove: (id) => set((state) => ({ layout: state.layout.filter((c) => c.id !== id) })),
      reset: () => set({ layout: DEFAULT_LAYOUT.map((c) => ({ ...c })) }),
      showOnly: (ids) =>
        set((state) => {
          const known = new Map(state.layout.map((c) => [c.id, c]));
          const builtIn = new Set(DEFAULT_LAYOUT.map((c) => c.id));
          const shown: ColumnLayout[] = [];
          for (const id of new Set(ids)) {
            const existing = known.get(id);
            const rawPath = id.startsWith('raw:') ? id.slice(4) : undefined;
            if (existing) shown.push({ ...existing, hidden: false });
            else if (builtIn.has(id))
              shown.push({ ...(DEFAULT_LAYOUT.find((c) => c.id === id) as ColumnLayout) });
            else if (rawPath !== undefined && RAW_PATH.test(rawPath) && rawPath.length <= 256)
              shown.push({ id, width: 200, hidden: false });
          }
          if (shown.length === 0) return state;
          const kept = new Set(shown.map((c) => c.id));
          return {
            layout: [
              ...shown,
              ...state.layout.filter((c) => !kept.has(c.id)).map((c) => ({ ...c, hidden: true })),
            ],
          };
        }),
    }),
    { name: 'auditscope.columns', version: 1 },
  ),
);
