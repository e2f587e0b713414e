import { describe, expect, it } from 'vitest';
import { dispatch, type Implementation } from './dispatch.ts';
import { contract, type CallName } from '../../shared/contract.ts';

/** Records which calls ran; every call answers its own name. */
function recording(): { implementation: Implementation; ran: string[] } {
  const ran: string[] = [];
  const implementation = Object.fromEntries(
    (Object.keys(contract) as CallName[]).map((name) => [name, async () => (ran.push(name), name)]),
  ) as unknown as Implementation;
  return { implementation, ran };
}

describe('dispatch (the engine side of every transport)', () => {
  it('runs a call whose arguments pass the contract', async () => {
    const { implementation, ran } = recording();
    expect(await dispatch(implementation, 'query.rows', ['r1', 0, 200])).toEqual({
      ok: true,
      value: 'query.rows',
    });
    expect(
      await dispatch(implementation, 'query.open', [{ filter: { kind: 'text', text: 'x', phrase: false } }]),
    ).toMatchObject({ ok: true });
    expect(ran).toEqual(['query.rows', 'query.open']);
  });

  it('refuses unknown calls and malformed arguments before anything runs', async () => {
    const { implementation, ran } = recording();
    const hostile: [unknown, unknown][] = [
      ['__proto__', []],
      ['constructor', []],
      ['query.rows', ['r1', -1, 200]],
      ['query.rows', ['r1', 0, 1e9]],
      ['query.rows', ["r1'; DROP TABLE events", 0, 10]],
      ['query.rows', 'not an array'],
      ['query.open', [{ filter: { kind: 'sql', sql: 'DROP TABLE events' } }]],
      ['query.topValues', [{}, '', 10]],
      ['event.get', [0]],
      ['import.files', [[]]],
      [42, []],
    ];
    for (const [call, args] of hostile) {
      const outcome = await dispatch(implementation, call, args);
      expect(outcome.ok, `${String(call)} ${JSON.stringify(args)}`).toBe(false);
    }
    // A filter nested 100 000 deep is refused without overflowing the stack.
    let deep: unknown = { kind: 'text', text: 'x', phrase: false };
    for (let i = 0; i < 100_000; i++) deep = { kind: 'not', child: deep };
    expect((await dispatch(implementation, 'query.open', [{ filter: deep }])).ok).toBe(false);
    expect(ran).toEqual([]);
  });

  it('turns a failing call into an error value', async () => {
    const { implementation } = recording();
    const failing = {
      ...implementation,
      'case.stats': async () => Promise.reject(new Error('disk full')),
    } as Implementation;
    expect(await dispatch(failing, 'case.stats', [])).toEqual({
      ok: false,
      error: { code: 'failed', message: 'disk full' },
    });
  });
});
