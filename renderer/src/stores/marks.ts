import { create } from 'zustand';
import type { AnnotationChange, EventMarks } from '../../../shared/domain/annotations.ts';
import { call } from '../lib/api.ts';

interface MarksState {
  /** Marks by event seq; null: asked, none. Only events on screen or opened are ever asked. */
  bySeq: ReadonlyMap<number, EventMarks | null>;
  /** Asks the engine for the marks of these events (batched; each asked once). */
  request(seqs: readonly number[]): void;
  /** Applies one change to these events, then re-reads their marks. */
  annotate(seqs: readonly number[], change: AnnotationChange): Promise<void>;
  /** Forgets everything (another case). */
  clear(): void;
}

let queued = new Set<number>();
/** Marks kept at most (oldest asked first out): scrolling a million rows must not grow memory. */
const MAX_KEPT = 20_000;

/** `known` with `found` added, trimmed to the newest MAX_KEPT. */
function merged(
  known: ReadonlyMap<number, EventMarks | null>,
  found: ReadonlyMap<number, EventMarks | null>,
): Map<number, EventMarks | null> {
  const next = new Map(known);
  for (const [seq, mark] of found) {
    next.delete(seq);
    next.set(seq, mark);
  }
  for (const seq of next.keys()) {
    if (next.size <= MAX_KEPT) break;
    next.delete(seq);
  }
  return next;
}
let timer: ReturnType<typeof setTimeout> | undefined;

async function fetchMarks(seqs: readonly number[]): Promise<Map<number, EventMarks | null>> {
  const found = new Map<number, EventMarks | null>(seqs.map((seq) => [seq, null]));
  for (const mark of await call('event.marks', [...seqs])) found.set(mark.seq, mark);
  return found;
}

export const useMarks = create<MarksState>()((set, get) => ({
  bySeq: new Map(),
  request(seqs) {
    const known = get().bySeq;
    // Rows read in place (negative seqs) are not in the case: they have no marks to ask for.
    for (const seq of seqs) if (seq > 0 && !known.has(seq)) queued.add(seq);
    if (queued.size === 0 || timer !== undefined) return;
    // Rows arrive page by page while scrolling: one call for what a moment brought.
    timer = setTimeout(() => {
      timer = undefined;
      const asked = [...queued].slice(0, 5000);
      queued = new Set([...queued].slice(5000));
      fetchMarks(asked).then(
        (found) => set((state) => ({ bySeq: merged(state.bySeq, found) })),
        () => undefined,
      );
    }, 60);
  },
  async annotate(seqs, change) {
    if (seqs.some((seq) => seq < 0))
      throw new Error('rows read in place are not in the case: pull them into the case to mark them');
    await call('event.annotate', [...seqs], change);
    const found = await fetchMarks(seqs.slice(0, 5000));
    set((state) => ({ bySeq: merged(state.bySeq, found) }));
  },
  clear() {
    queued = new Set();
    set({ bySeq: new Map() });
  },
}));
