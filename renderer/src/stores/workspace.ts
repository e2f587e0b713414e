import { create } from 'zustand';
import type { Filter } from '../../../shared/domain/query.ts';
import { parseSearch, type SearchSyntaxError } from '../../../shared/query/parse-search.ts';

export type TimePreset = '24h' | '7d' | '30d' | '90d' | 'all' | 'custom';
export type Theme = 'dark' | 'light';
/** 'utc', 'local', or an IANA zone name. Display only: queries are always in UTC instants. */
export type DisplayZone = string;

/** A filter for one value, from a click on a value, a breakdown bar or a chip. */
export interface Chip {
  field: string;
  value: string;
  negated: boolean;
}

export const PRESET_MICROS: Record<Exclude<TimePreset, 'all' | 'custom'>, number> = {
  '24h': 24 * 3600e6,
  '7d': 7 * 24 * 3600e6,
  '30d': 30 * 24 * 3600e6,
  '90d': 90 * 24 * 3600e6,
};

interface WorkspaceState {
  searchText: string;
  /** The last search that parsed: the table keeps showing it while the text has an error. */
  searchFilter: Filter | undefined;
  searchError: SearchSyntaxError | undefined;
  chips: Chip[];
  preset: TimePreset;
  /** When the preset was chosen (epoch µs): "last 24 hours" counts back from here, not from each render. */
  presetAnchor: number;
  /** Epoch µs, for the custom range (brush on the histogram, or typed). */
  customFrom: number | undefined;
  customTo: number | undefined;
  order: 'asc' | 'desc';
  zone: DisplayZone;
  theme: Theme;
  /** The event shown in the detail panel (its seq), and the table's cursor row (a position). */
  detailSeq: number | undefined;
  cursor: number;
  setSearchText(text: string): void;
  addChip(chip: Chip): void;
  removeChip(index: number): void;
  toggleChip(index: number): void;
  setPreset(preset: TimePreset): void;
  setCustomRange(from: number | undefined, to: number | undefined): void;
  setOrder(order: 'asc' | 'desc'): void;
  setZone(zone: DisplayZone): void;
  setTheme(theme: Theme): void;
  openDetail(seq: number | undefined): void;
  /** Shows the events of one value within a time range (a "related events" pivot). */
  pivot(chip: Chip, from: number, to: number): void;
  setCursor(position: number): void;
}

export const useWorkspace = create<WorkspaceState>()((set) => ({
  searchText: '',
  searchFilter: undefined,
  searchError: undefined,
  chips: [],
  preset: 'all',
  presetAnchor: Date.now() * 1000,
  customFrom: undefined,
  customTo: undefined,
  order: 'desc',
  zone: 'utc',
  theme: 'dark',
  detailSeq: undefined,
  cursor: 0,
  setSearchText: (text) => {
    const parsed = parseSearch(text);
    set(
      parsed.ok
        ? { searchText: text, searchFilter: parsed.filter, searchError: undefined, cursor: 0 }
        : { searchText: text, searchError: parsed.error },
    );
  },
  addChip: (chip) =>
    set((state) =>
      state.chips.some((c) => c.field === chip.field && c.value === chip.value && c.negated === chip.negated)
        ? state
        : { chips: [...state.chips, chip], cursor: 0 },
    ),
  removeChip: (index) => set((state) => ({ chips: state.chips.filter((_, i) => i !== index), cursor: 0 })),
  toggleChip: (index) =>
    set((state) => ({
      chips: state.chips.map((c, i) => (i === index ? { ...c, negated: !c.negated } : c)),
      cursor: 0,
    })),
  setPreset: (preset) => set({ preset, presetAnchor: Date.now() * 1000, cursor: 0 }),
  setCustomRange: (from, to) => set({ preset: 'custom', customFrom: from, customTo: to, cursor: 0 }),
  setOrder: (order) => set({ order, cursor: 0 }),
  setZone: (zone) => set({ zone }),
  setTheme: (theme) => set({ theme }),
  openDetail: (seq) => set({ detailSeq: seq }),
  pivot: (chip, from, to) =>
    set({ chips: [chip], preset: 'custom', customFrom: from, customTo: to, cursor: 0 }),
  setCursor: (position) => set({ cursor: Math.max(0, position) }),
}));
