import { describe, it, expect } from 'vitest';
import { RecordError } from '../types.ts';
import {
  compact,
  getArray,
  getPath,
  getString,
  objectOrJson,
  parseEmbeddedJson,
  requireTime,
} from './record-access.ts';

describe('record-access', () => {
  const record = {
    userIdentity: { sessionContext: { sessionIssuer: { userName: 'admin' } } },
    'network.client.ip': '10.1.1.1',
    network: { client: { port: 443 } },
    target: [{ id: 't1' }, { id: 't2' }],
    empty: '',
    n: 0,
    flag: false,
  };

  it('follows dotted paths, array indexes and literal dotted keys', () => {
    expect(getPath(record, 'userIdentity.sessionContext.sessionIssuer.userName')).toBe('admin');
    expect(getPath(record, 'network.client.ip')).toBe('10.1.1.1');
    expect(getPath(record, 'network.client.port')).toBe(443);
    expect(getPath(record, 'target.1.id')).toBe('t2');
    expect(getPath(record, 'target.x')).toBeUndefined();
    expect(getPath(null, 'a')).toBeUndefined();
    expect(getPath(record, Array.from({ length: 40 }, () => 'a').join('.'))).toBeUndefined();
  });

  it('never resolves through prototypes', () => {
    expect(getPath({}, 'constructor')).toBeUndefined();
    expect(getPath({}, '__proto__')).toBeUndefined();
    expect(getPath({}, 'toString')).toBeUndefined();
    const own = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    expect(getPath(own, '__proto__.x')).toBe(1);
  });

  it('getString skips empty values and stringifies scalars', () => {
    expect(getString(record, 'empty', 'n')).toBe('0');
    expect(getString(record, 'flag')).toBe('false');
    expect(getString(record, 'target')).toBeUndefined();
    expect(getArray(record, 'target')).toHaveLength(2);
    expect(getArray(record, 'n')).toEqual([]);
  });

  it('parses embedded JSON safely', () => {
    expect(parseEmbeddedJson('{"a":1}')).toEqual({ a: 1 });
    expect(parseEmbeddedJson('{"a":')).toBeUndefined();
    expect(parseEmbeddedJson('plain')).toBeUndefined();
    expect(objectOrJson({ a: 1 })).toEqual({ a: 1 });
    expect(objectOrJson('[1]')).toEqual([1]);
  });

  it('requireTime returns the first parsable path or throws RecordError', () => {
    expect(requireTime({ a: 'bad', b: 1700000000 }, ['a', 'b'])).toEqual({
      time: 1_700_000_000_000_000,
      timeOriginal: '1700000000',
    });
    expect(() => requireTime({ a: 'bad' }, ['a', 'z'])).toThrow(RecordError);
    expect(() => requireTime({}, ['a', 'z'])).toThrow('no usable timestamp (tried a, z)');
  });

  it('compact drops undefined members only', () => {
    expect(compact({ a: 1, b: undefined, c: null, d: '' })).toEqual({ a: 1, c: null, d: '' });
  });
});
