import { describe, expect, it } from 'vitest';
import { dispatch, type Implementation } from './dispatch.ts';
import { SHELL_CALLS, contract, type CallName } from '../../shared/contract.ts';

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

  it('answers desktop-only calls unsupported where no shell provides them (serve mode)', async () => {
    const { implementation, ran } = recording();
    const serve = Object.fromEntries(
      Object.entries(implementation).filter(([name]) => !(SHELL_CALLS as readonly string[]).includes(name)),
    ) as Implementation;
    expect(await dispatch(serve, 'shell.chooseImport', ['files'])).toEqual({
      ok: false,
      error: { code: 'unsupported', message: 'shell.chooseImport exists in the desktop app only' },
    });
    // Arguments are still checked first, and the desktop's own calls run where they exist.
    expect(await dispatch(serve, 'shell.chooseCase', ['/etc/passwd'])).toMatchObject({
      error: { code: 'invalid-arguments' },
    });
    expect(await dispatch(implementation, 'shell.chooseCase', ['open'])).toEqual({
      ok: true,
      value: 'shell.chooseCase',
    });
    expect(ran).toEqual(['shell.chooseCase']);
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

  it('survives a fuzz of malformed arguments to every call: refused as data, nothing runs', async () => {
    const { implementation, ran } = recording();
    // Seeded, so a failure names its case and repeats.
    let seed = 20261130;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const junkValues: unknown[] = [
      null,
      undefined,
      -1,
      1e308,
      Number.NaN,
      '',
      'x'.repeat(70_000),
      '../../etc/passwd',
      "'; DROP TABLE events; --",
      '\u0000',
      [],
      {},
      { __proto__: { polluted: true } },
      { constructor: { prototype: { polluted: true } } },
      true,
      Symbol.for('x'),
      () => 1,
      new Date(0),
      [[[[[]]]]],
    ];
    const pick = (): unknown => junkValues[Math.floor(random() * junkValues.length)];
    for (const name of Object.keys(contract) as CallName[]) {
      const arity = contract[name].input.def.items.length;
      for (let round = 0; round < 60; round++) {
        // Wrong arity, or the right arity with junk in every place.
        const length = round % 3 === 0 ? arity + 1 + Math.floor(random() * 3) : arity;
        const args = Array.from({ length }, pick);
        if (arity === 0 && length === 0) continue;
        const sent = round % 7 === 0 ? pick() : args;
        const outcome = await dispatch(implementation, name, sent);
        if (outcome.ok) {
          // Junk that happens to be valid (an optional field left out) must still be schema-valid.
          expect(contract[name].input.safeParse(sent).success, name).toBe(true);
        } else {
          expect(outcome.error.code, name).toBe('invalid-arguments');
        }
      }
    }
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    // Whatever ran had passed its schema (checked above); most junk never ran at all.
    expect(ran.length).toBeLessThan(Object.keys(contract).length * 60 * 0.2);
  });
});
