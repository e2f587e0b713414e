import { describe, expect, it, vi } from 'vitest';
import { contract } from '../../shared/contract.ts';
import { CALL_CHANNEL, PUSH_CHANNEL } from '../../shared/transport.ts';
import { buildBridge } from './bridge.ts';

describe('preload bridge', () => {
  it('exposes exactly the contract calls and on, frozen', () => {
    const bridge = buildBridge(vi.fn(), vi.fn(), vi.fn());
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(contract), 'on', 'pathForFile'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('invokes the one call channel with the name and arguments', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: 1 }));
    const bridge = buildBridge(invoke, vi.fn(), vi.fn());
    await expect(bridge['query.count']('r1')).resolves.toEqual({ ok: true, value: 1 });
    expect(invoke).toHaveBeenCalledWith(CALL_CHANNEL, 'query.count', ['r1']);
  });

  it('hands listeners the payload only, filters by push name, and unsubscribes', () => {
    let handler: ((name: unknown, payload: unknown) => void) | undefined;
    const stop = vi.fn();
    const subscribe = vi.fn((channel: string, h: (name: unknown, payload: unknown) => void) => {
      expect(channel).toBe(PUSH_CHANNEL);
      handler = h;
      return stop;
    });
    const bridge = buildBridge(vi.fn(), subscribe, vi.fn());
    const listener = vi.fn();
    const unsubscribe = bridge.on('fts.progress', listener);
    handler?.('import.progress', { a: 1 });
    handler?.('fts.progress', { ready: true });
    expect(listener.mock.calls).toEqual([[{ ready: true }]]);
    unsubscribe();
    expect(stop).toHaveBeenCalled();
    expect(() => bridge.on('nope' as never, listener)).toThrow(TypeError);
  });
});
