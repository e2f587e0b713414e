import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { dataset } from '../../../../test/support/paths.ts';
import { RecordError } from '../types.ts';
import type { JsonObject } from '../types.ts';
import { createGenericNormalizer, genericNormalizer } from './generic.ts';

const windows = fs
  .readFileSync(
    dataset('windows-eventlog', 'otrf', 'psh_lsass_memory_dump_comsvcs_2020-10-18T19500924.json'),
    'utf8',
  )
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as JsonObject);
const run = (value: JsonObject, normalizer = genericNormalizer) =>
  normalizer.normalize({ value, text: '', encodingError: false, offset: 0, line: 1 });

describe('generic normalizer on the real Windows event log (OTRF)', () => {
  it('normalizes all 184 events with a low detection score', () => {
    expect(windows.length).toBe(184);
    for (const record of windows) {
      expect(genericNormalizer.detect(record)).toBe(0.1);
      expect(run(record).source).toBe('generic');
    }
  });

  it('guesses TimeCreated (space, no zone = UTC), SubjectUserName, EventID', () => {
    const event = run(windows[0] ?? {});
    expect(event).toMatchObject({
      time: Date.parse('2020-10-18T07:50:06.220Z') * 1000,
      timeOriginal: '2020-10-18 07:50:06.220',
      action: '4689',
      category: 'other',
      outcome: 'unknown',
      actor: { name: 'wardog' },
      target: {},
      changes: [],
    });
    expect(event.message?.startsWith('A process has exited.')).toBe(true);
  });

  it('picks SourceAddress as the IP of a 5156 connection and ObjectName as target', () => {
    expect(run(windows.find((r) => r['EventID'] === 5156) ?? {}).ip).toBe('192.168.2.5');
    expect(run(windows.find((r) => r['EventID'] === 4663) ?? {}).target.name).toBe(
      '\\Device\\HarddiskVolume2\\Windows\\System32\\lsass.exe',
    );
  });
});

describe('generic normalizer: guessing', () => {
  it('matches names case- and punctuation-insensitively and maps category/outcome', () => {
    expect(
      run({
        Event_Time: 1700000000123,
        'User-Name': 'alice@example.com',
        ACTION: 'user.login',
        Status: 'FAILED',
        client_ip: '10.0.0.1',
        'User Agent': 'curl/8',
        sessionId: 's-1',
        request_id: 'r-1',
        resource: { name: 'console' },
      }),
    ).toEqual({
      time: 1700000000123000,
      timeOriginal: '1700000000123',
      source: 'generic',
      action: 'user.login',
      category: 'authentication',
      outcome: 'failure',
      actor: { name: 'alice@example.com', email: 'alice@example.com' },
      target: { name: 'console' },
      ip: '10.0.0.1',
      userAgent: 'curl/8',
      sessionId: 's-1',
      requestId: 'r-1',
      changes: [],
    });
  });

  it('HTTP-like status codes and booleans become outcomes', () => {
    expect(run({ ts: '2024-01-01T00:00:00Z', status: 403 }).outcome).toBe('failure');
    expect(run({ ts: '2024-01-01T00:00:00Z', success: true }).outcome).toBe('success');
  });

  it('skips an unparsable candidate and uses the next one', () => {
    expect(run({ time: 'n/a', date: '2024-01-02' }).timeOriginal).toBe('2024-01-02');
  });

  it('throws RecordError naming what it tried when no timestamp is found', () => {
    expect(() => run({ user: 'bob' })).toThrow(RecordError);
    expect(() => run({ user: 'bob' })).toThrow(/^no timestamp field \(tried timestamp, eventtime, /);
  });

  it('hostile keys are plain data', () => {
    const hostile = JSON.parse(
      '{"__proto__": {"polluted": 1}, "constructor": "x", "time": "2024-01-01T00:00:00Z", "action": "delete"}',
    ) as JsonObject;
    expect(run(hostile).action).toBe('delete');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('createGenericNormalizer with an explicit mapping', () => {
  const mapped = createGenericNormalizer({
    time: 'meta.when',
    actor: 'who.login',
    action: 'what',
    ip: 'net.client.ip',
    message: 'note',
  });

  it('reads dotted paths and still guesses unmapped fields', () => {
    expect(
      run(
        {
          meta: { when: '2024-06-01T12:00:00+02:00' },
          who: { login: 'carol' },
          what: 'CreateUser',
          'net.client.ip': '192.0.2.1',
          note: 'hello',
          result: 'success',
          timestamp: '1999-01-01T00:00:00Z',
        },
        mapped,
      ),
    ).toEqual({
      time: Date.parse('2024-06-01T10:00:00Z') * 1000,
      timeOriginal: '2024-06-01T12:00:00+02:00',
      source: 'generic',
      action: 'CreateUser',
      category: 'iam',
      outcome: 'success',
      actor: { name: 'carol' },
      target: {},
      ip: '192.0.2.1',
      message: 'hello',
      changes: [],
    });
  });

  it('a mapped time path that is missing is an error, not a guess', () => {
    expect(() => run({ timestamp: '2024-01-01T00:00:00Z' }, mapped)).toThrow(
      'no timestamp field (tried meta.when)',
    );
  });
});
