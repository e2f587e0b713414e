import { useEffect, useState } from 'react';
import type { StoredEvent } from '../../../../shared/contract.ts';
import type { EventMarks } from '../../../../shared/domain/annotations.ts';
import type { CaseNote } from '../../../../shared/domain/case-note.ts';
import { parseSearch } from '../../../../shared/query/parse-search.ts';
import { call } from '../../lib/api.ts';

/** Marked events the story line shows at most (the oldest first). */
export const STORY_LIMIT = 2000;

export interface Story {
  events: { event: StoredEvent; marks: EventMarks }[];
  /** All marked events in the case (more than `events` when over the limit). */
  total: number;
  notes: CaseNote[];
}

const MARKED = parseSearch('is:starred OR is:tagged OR is:noted');

/** The case's story: every starred, tagged or noted event, and the case's own notes. */
export function useStory(dataVersion: number, revision: number) {
  const [state, setState] = useState<{ key: string; story?: Story; error?: string }>();
  const key = `${dataVersion}:${revision}`;
  useEffect(() => {
    let live = true;
    const load = async (): Promise<Story> => {
      if (!MARKED.ok) throw new Error(MARKED.error.message);
      const handle = await call('query.open', { filter: MARKED.filter, order: 'asc' });
      try {
        const total = await call('query.count', handle);
        const rows = total === 0 ? [] : await call('query.rows', handle, 0, Math.min(total, STORY_LIMIT));
        const [marks, notes] = await Promise.all([
          rows.length === 0
            ? Promise.resolve([])
            : call(
                'event.marks',
                rows.map((r) => r.seq),
              ),
          call('note.list'),
        ]);
        const bySeq = new Map(marks.map((m) => [m.seq, m]));
        return {
          events: rows.map((event) => ({
            event,
            marks: bySeq.get(event.seq) ?? { seq: event.seq, starred: false, tags: [] },
          })),
          total,
          notes,
        };
      } finally {
        void call('query.close', handle).catch(() => undefined);
      }
    };
    load().then(
      (story) => live && setState({ key, story }),
      (e: Error) => live && setState({ key, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state?.key === key ? state : { key, story: state?.story, error: undefined, stale: true };
}
