import { create } from 'zustand';
import type { Filter } from '../../../shared/domain/query.ts';
import type { RemoteScope } from '../../../shared/domain/source.ts';
import { parseSearch, type SearchSyntaxError } from '../../../shared/query/parse-search.ts';

export type TimePreset = '24h' | '7d' | '30d' | '90d' | 'all' | 'custom';
export type Theme = 'dark' | 'light';
/** The workspace's views. */
export type View = 'logs' | 'timeline' | 'investigation' | 'actors' | 'detections' | 'dashboard';

/**
 * A filter of its own, shown as one chip: events named one by one (a detection's matches), or a
 * filter no search text says well (activity outside working hours: a time range per night).
 */
export interface Pinned {
  label: string;
  seqs?: number[];
  filter?: Filter;
}
/** 'utc', 'local', or an IANA zone name. Display only: queries are always in UTC instants. */
export type DisplayZone = string;

/** A filter for one value, from a click on a value, a breakdown bar or a chip. */
export interface Chip {
  field: string;
  value: string;
  negated: boolean;
}

/** A table read in place, shown in Logs instead of the case, and how to name it. */
export interface RemoteTable {
  scope: RemoteScope;
  /** "app db (PostgreSQL) ▸ public.user_activity_log" */
  label: string;
}

/** At most this many rows are selected (and copied) at once. */
export const MAX_SELECTION = 10_000;

/** The minutes either side of an event opened from another view (see `showEvent`). */
const SHOW_EVENT_MARGIN = 5 * 60e6;

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
  pinned: Pinned | undefined;
  /** Shows exactly these events in Logs (any time), until the pin is removed. */
  pin(pinned: Pinned | undefined): void;
  preset: TimePreset;
  /** When the preset was chosen (epoch µs): "last 24 hours" counts back from here, not from each render. */
  presetAnchor: number;
  /** Epoch µs, for the custom range (brush on the histogram, or typed). */
  customFrom: number | undefined;
  customTo: number | undefined;
  order: 'asc' | 'desc';
  zone: DisplayZone;
  theme: Theme;
  view: View;
  setView(view: View): void;
  /**
   * The table Logs reads in place instead of the case (the search, time window and chips run on
   * its database server); undefined for the case.
   */
  remote: RemoteTable | undefined;
  /** Shows a table read in place in Logs (undefined: back to the case). */
  readInPlace(remote: RemoteTable | undefined): void;
  /** The event shown in the detail panel (its seq), and the table's cursor row (a position). */
  detailSeq: number | undefined;
  cursor: number;
  /** How the table brings the cursor row into view: minimal scroll, or to the top (after a jump). */
  cursorAlign: 'auto' | 'start';
  /** Selected row positions (Ctrl/Cmd-click, Shift-click), sorted; empty means just the cursor. */
  selected: number[];
  /** The field the breakdown counts values of: a facet, any normalized field or a raw path. */
  statsField: string;
  showFieldStats(field: string): void;
  /** A short confirmation shown in the table footer ("Copied 3 events"). */
  notice: string | undefined;
  setNotice(text: string | undefined): void;
  setSearchText(text: string): void;
  /**
   * Bumped when a search is put in the box from elsewhere (a saved search): the box, which keeps
   * its own draft while typing, starts again from `searchText`.
   */
  searchRevision: number;
  /** Applies a saved search: its text and its time range. */
  applySearch(text: string, range: { preset?: TimePreset; from?: number; to?: number }): void;
  addChip(chip: Chip): void;
  removeChip(index: number): void;
  toggleChip(index: number): void;
  setPreset(preset: TimePreset): void;
  setCustomRange(from: number | undefined, to: number | undefined): void;
  setOrder(order: 'asc' | 'desc'): void;
  setZone(zone: DisplayZone): void;
  setTheme(theme: Theme): void;
  openDetail(seq: number | undefined): void;
  /** Shows a search over a time range in Logs, nothing else applied (a dashboard figure's events). */
  openInLogs(search: string, from: number, to: number): void;
  /** Shows the events of one value within a time range (a "related events" pivot). */
  pivot(chip: Chip, from: number, to: number): void;
  /** Opens one event in Logs: its details, the table on the minutes around it, no other filter. */
  showEvent(seq: number, time: number): void;
  setCursor(position: number, align?: 'auto' | 'start'): void;
  /** A click on a row: plain selects it, `toggle` adds or removes it, `extend` selects from the cursor. */
  selectRow(position: number, mode: 'only' | 'toggle' | 'extend'): void;
  /** Another case was opened: its filters, cursor and details start empty. */
  resetForCase(): void;
}

export const useWorkspace = create<WorkspaceState>()((set, get) => ({
  searchText: '',
  searchRevision: 0,
  searchFilter: undefined,
  searchError: undefined,
  chips: [],
  pinned: undefined,
  pin: (pinned) => {
    // Exactly these events: no search, chip or time window left over from before narrows them.
    if (pinned) get().applySearch('', { preset: 'all' });
    set(
      pinned
        ? { pinned, chips: [], preset: 'all', cursor: 0, selected: [], view: 'logs', remote: undefined }
        : { pinned: undefined, cursor: 0, selected: [] },
    );
  },
  preset: 'all',
  presetAnchor: Date.now() * 1000,
  customFrom: undefined,
  customTo: undefined,
  order: 'desc',
  zone: 'utc',
  theme: 'dark',
  view: 'logs',
  // The other views work over the case only: going to one leaves a table read in place.
  setView: (view) =>
    set((state) =>
      view === 'logs'
        ? { view }
        : // A row read in place (negative seq) is not the case's: its details close too.
          { view, remote: undefined, ...((state.detailSeq ?? 0) < 0 ? { detailSeq: undefined } : {}) },
    ),
  remote: undefined,
  // Rows and positions of the other data mean nothing here; the search and time window carry over.
  readInPlace: (remote) =>
    set({ remote, view: 'logs', pinned: undefined, detailSeq: undefined, cursor: 0, selected: [] }),
  detailSeq: undefined,
  cursor: 0,
  cursorAlign: 'auto',
  selected: [],
  notice: undefined,
  statsField: 'action',
  showFieldStats: (statsField) => set({ statsField }),
  setNotice: (notice) => set({ notice }),
  setSearchText: (text) => {
    const parsed = parseSearch(text);
    set(
      parsed.ok
        ? { searchText: text, searchFilter: parsed.filter, searchError: undefined, cursor: 0, selected: [] }
        : { searchText: text, searchError: parsed.error },
    );
  },
  applySearch: (text, range) => {
    get().setSearchText(text);
    set((state) => ({
      searchRevision: state.searchRevision + 1,
      ...(range.preset !== undefined
        ? { preset: range.preset, presetAnchor: Date.now() * 1000 }
        : { preset: 'custom' as const, customFrom: range.from, customTo: range.to }),
    }));
  },
  addChip: (chip) =>
    set((state) =>
      state.chips.some((c) => c.field === chip.field && c.value === chip.value && c.negated === chip.negated)
        ? state
        : { chips: [...state.chips, chip], cursor: 0, selected: [] },
    ),
  removeChip: (index) =>
    set((state) => ({ chips: state.chips.filter((_, i) => i !== index), cursor: 0, selected: [] })),
  toggleChip: (index) =>
    set((state) => ({
      chips: state.chips.map((c, i) => (i === index ? { ...c, negated: !c.negated } : c)),
      cursor: 0,
      selected: [],
    })),
  setPreset: (preset) => set({ preset, presetAnchor: Date.now() * 1000, cursor: 0, selected: [] }),
  setCustomRange: (from, to) =>
    set({ preset: 'custom', customFrom: from, customTo: to, cursor: 0, selected: [] }),
  setOrder: (order) => set({ order, cursor: 0, selected: [] }),
  setZone: (zone) => set({ zone }),
  setTheme: (theme) => set({ theme }),
  openDetail: (seq) => set({ detailSeq: seq }),
  openInLogs: (search, from, to) => {
    get().applySearch(search, { from, to });
    set({ chips: [], pinned: undefined, view: 'logs', cursor: 0, selected: [], remote: undefined });
  },
  pivot: (chip, from, to) =>
    set({ chips: [chip], preset: 'custom', customFrom: from, customTo: to, cursor: 0, selected: [] }),
  showEvent: (seq, time) => {
    get().applySearch('', { from: time - SHOW_EVENT_MARGIN, to: time + SHOW_EVENT_MARGIN });
    set({ chips: [], detailSeq: seq, view: 'logs', cursor: 0, selected: [], remote: undefined });
  },
  setCursor: (position, align = 'auto') => set({ cursor: Math.max(0, position), cursorAlign: align }),
  selectRow: (position, mode) =>
    set((state) => {
      if (mode === 'toggle') {
        const has = state.selected.includes(position);
        const base = state.selected.length === 0 ? [state.cursor] : state.selected;
        const next = has ? base.filter((p) => p !== position) : [...base, position];
        return { selected: [...new Set(next)].sort((a, b) => a - b), cursor: position };
      }
      if (mode === 'extend') {
        const from = Math.min(state.cursor, position);
        const to = Math.min(Math.max(state.cursor, position), from + MAX_SELECTION - 1);
        return { selected: Array.from({ length: to - from + 1 }, (_, i) => from + i) };
      }
      return { selected: [], cursor: position, cursorAlign: 'auto' };
    }),
  resetForCase: () =>
    set({
      searchText: '',
      searchFilter: undefined,
      searchError: undefined,
      chips: [],
      pinned: undefined,
      preset: 'all',
      customFrom: undefined,
      customTo: undefined,
      detailSeq: undefined,
      cursor: 0,
      cursorAlign: 'auto',
      selected: [],
      notice: undefined,
      remote: undefined,
    }),
}));
