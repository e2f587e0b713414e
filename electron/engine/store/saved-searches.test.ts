import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-case.ts';
import { CaseSession } from '../case-session.ts';

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
