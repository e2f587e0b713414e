import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-case.ts';
import { CaseSession } from '../case-session.ts';
import { HISTORY_LIMIT } from './saved-searches.ts';

const temp = tempDir();
afterAll(() => temp.cleanup());

describe('saved searches', () => {
  it('are kept with the case by name, replaced by name, deleted, and journaled', async () => {
    const file = temp.file('searches.auditscope');
    let session = await CaseSession.open(file);
    await session.saveSearch({
      name: 'Failed logins',
      search: 'outcome:failure action:*login*',
      range: { preset: '7d' },
    });
    await session.saveSearch({ name: 'root', search: 'actor:root', range: { from: 1, to: 2 } });
    // The same name in other letters replaces it.
    await session.saveSearch({ name: 'FAILED LOGINS', search: 'outcome:failure', range: { preset: 'all' } });
    await session.close();

    session = await CaseSession.open(file);
    try {
      expect((await session.aggregate.savedSearches()).map((s) => [s.name, s.search, s.range])).toEqual([
        ['Failed logins', 'outcome:failure', { preset: 'all' }],
        ['root', 'actor:root', { from: 1, to: 2 }],
      ]);
      await session.deleteSearch('ROOT');
      expect((await session.aggregate.savedSearches()).map((s) => s.name)).toEqual(['Failed logins']);
      const actions = (await session.read.journal(0, 100)).map((e) => e.action);
      expect(actions).toEqual([
        'case.created',
        'search.saved',
        'search.saved',
        'search.saved',
        'search.deleted',
      ]);
    } finally {
      await session.close();
    }
  });
});

describe('columns and history', () => {
  it('keeps the columns a search was saved with', async () => {
    const session = await CaseSession.open(temp.file('columns.auditscope'));
    try {
      await session.saveSearch({
        name: 'who',
        search: 'actor:alice',
        range: { preset: 'all' },
        columns: ['time', 'actor', 'raw:userIdentity.arn'],
      });
      await session.saveSearch({ name: 'plain', search: '', range: { preset: '24h' } });
      const saved = await session.aggregate.savedSearches();
      expect(saved.find((s) => s.name === 'who')?.columns).toEqual(['time', 'actor', 'raw:userIdentity.arn']);
      expect(saved.find((s) => s.name === 'plain')).not.toHaveProperty('columns');
    } finally {
      await session.close();
    }
  });

  it('remembers searches run, newest first, one entry per search and range, bounded', async () => {
    const session = await CaseSession.open(temp.file('history.auditscope'));
    try {
      await session.recordSearch({ search: 'actor:alice', range: { preset: 'all' } });
      await session.recordSearch({ search: 'actor:bob', range: { preset: '7d' } });
      await session.recordSearch({ search: 'actor:alice', range: { from: 5, to: 9 } });
      await session.recordSearch({ search: 'actor:bob', range: { preset: '7d' } });
      expect((await session.aggregate.searchHistory()).map((h) => [h.search, h.range])).toEqual([
        ['actor:bob', { preset: '7d' }],
        ['actor:alice', { from: 5, to: 9 }],
        ['actor:alice', { preset: 'all' }],
      ]);
      for (let i = 0; i < HISTORY_LIMIT + 20; i++)
        await session.recordSearch({ search: `q${i}`, range: { preset: 'all' } });
      const history = await session.aggregate.searchHistory();
      expect(history).toHaveLength(HISTORY_LIMIT);
      expect(history[0]?.search).toBe(`q${HISTORY_LIMIT + 19}`);
      // Looking is not changing the evidence: the history is not journaled.
      const actions = (await session.read.journal(0, 10)).map((e) => e.action);
      expect(actions).toEqual(['case.created']);
    } finally {
      await session.close();
    }
  });
});

describe('case notes', () => {
  it('are added, edited, pinned to an instant, removed, and journaled with their text', async () => {
    const session = await CaseSession.open(temp.file('notes.auditscope'));
    try {
      const first = await session.saveNote({ time: null, body: '# Scope\nAll of **prod**.' });
      const pinned = await session.saveNote({ time: 1_700_000_000_000_000, body: 'Keys rotated here.' });
      await session.saveNote({ id: first.id, time: null, body: '# Scope\nAll of **prod** and staging.' });
      expect((await session.aggregate.caseNotes()).map((n) => [n.id, n.time, n.body])).toEqual([
        [first.id, null, '# Scope\nAll of **prod** and staging.'],
        [pinned.id, 1_700_000_000_000_000, 'Keys rotated here.'],
      ]);
      await expect(session.saveNote({ id: 999, time: null, body: 'x' })).rejects.toThrow(/does not exist/);
      await session.deleteNote(pinned.id);
      expect((await session.aggregate.caseNotes()).map((n) => n.id)).toEqual([first.id]);
      const journal = await session.read.journal(0, 10);
      expect(journal.map((e) => e.action)).toEqual([
        'case.created',
        'note.saved',
        'note.saved',
        'note.saved',
        'note.deleted',
      ]);
      expect(journal[3]?.detail.body).toBe('# Scope\nAll of **prod** and staging.');
    } finally {
      await session.close();
    }
  });
});
