import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../../shared/contract.ts';
import { rawPathValue } from './raw-path.ts';

const event = (raw: string) => ({ raw }) as StoredEvent;

describe('rawPathValue', () => {
  it('reads dotted paths of the raw JSON as text', () => {
    const e = event('{"userIdentity":{"arn":"arn:aws:iam::1:user/a","n":3,"tags":["x"]},"ok":true}');
    expect(rawPathValue(e, 'userIdentity.arn')).toBe('arn:aws:iam::1:user/a');
    expect(rawPathValue(e, 'userIdentity.n')).toBe('3');
    expect(rawPathValue(e, 'userIdentity.tags')).toBe('["x"]');
    expect(rawPathValue(e, 'ok')).toBe('true');
    expect(rawPathValue(e, 'userIdentity.missing')).toBeUndefined();
  });

  it('reads nothing from non-JSON records or inherited properties', () => {
    expect(rawPathValue(event('type=SYSCALL msg=audit(1.2:3)'), 'type')).toBeUndefined();
    expect(rawPathValue(event('{"a":{}}'), 'a.constructor')).toBeUndefined();
    expect(rawPathValue(event('{"a":{}}'), '__proto__')).toBeUndefined();
  });
});
