import { describe, expect, it } from 'vitest';
import {
  FIELDS,
  formatTimeValue,
  looksLikeCidr,
  parseRawPath,
  parseTimeValue,
  resolveField,
} from './fields.ts';

describe('field catalogue', () => {
  it('lists every normalized field once, with columns of the events table', () => {
    expect(FIELDS.map((f) => f.name)).toEqual([
      'id',
      'time',
      'source',
      'action',
      'category',
      'outcome',
      'actor',
      'actor.id',
      'actor.name',
      'actor.email',
      'actor.type',
      'target',
      'target.type',
      'target.id',
      'target.name',
      'ip',
      'userAgent',
      'sessionId',
      'requestId',
      'severity',
      'message',
    ]);
    expect(resolveField('actor')?.columns).toEqual(['actor_id', 'actor_name', 'actor_email']);
    expect(resolveField('target')?.columns).toEqual(['target_id', 'target_name']);
    expect(resolveField('id')?.columns).toEqual(['event_id']);
    for (const def of FIELDS) for (const column of def.columns) expect(column).toMatch(/^[a-z_]+$/);
  });

  it('resolves names and aliases case-insensitively, and nothing else', () => {
    expect(resolveField('USER')?.name).toBe('actor');
    expect(resolveField('src_ip')?.name).toBe('ip');
    expect(resolveField('Source_IP')?.name).toBe('ip');
    expect(resolveField('event')?.name).toBe('action');
    expect(resolveField('USERAGENT')?.name).toBe('userAgent');
    expect(resolveField('userIdentity.arn')).toBeUndefined();
    expect(resolveField('__proto__')).toBeUndefined();
    expect(resolveField('constructor')).toBeUndefined();
  });

  it('splits raw paths and refuses prototype segments', () => {
    expect(parseRawPath('userIdentity.arn')).toEqual({ ok: true, segments: ['userIdentity', 'arn'] });
    expect(parseRawPath('@timestamp')).toEqual({ ok: true, segments: ['@timestamp'] });
    expect(parseRawPath('a.__proto__').ok).toBe(false);
    expect(parseRawPath('a.b.').ok).toBe(false);
    expect(parseRawPath('a b').ok).toBe(false);
    expect(parseRawPath('1abc').ok).toBe(false);
  });

  it('recognizes CIDR syntax loosely', () => {
    expect(looksLikeCidr('10.0.0.0/8')).toBe(true);
    expect(looksLikeCidr('2001:db8::/32')).toBe(true);
    expect(looksLikeCidr('/usr/bin')).toBe(false);
    expect(looksLikeCidr('arn:aws:iam::1:role/x')).toBe(false);
  });
});

describe('parseTimeValue', () => {
  it.each([
    ['2024-01-01', 1704067200000000],
    ['2024-01-01T00:00:00Z', 1704067200000000],
    ['2024-01-01 01:00', 1704070800000000],
    ['2024-01-01T01:00:00+01:00', 1704067200000000],
    ['2024-01-01T00:00:00-0130', 1704072600000000],
    ['2024-01-01T00:00:00.123456789Z', 1704067200123456],
    ['2024-01-01T00:00:00,5Z', 1704067200500000],
    ['1700000000', 1700000000000000],
    ['1700000000.25', 1700000000250000],
    ['1700000000123', 1700000000123000],
    ['1700000000123456', 1700000000123456],
    ['1700000000123456789', 1700000000123456],
    ['0', 0],
    ['-60', -60000000],
  ])('%s → %i µs', (text, micros) => {
    expect(parseTimeValue(text)).toBe(micros);
  });

  it.each(['yesterday', '2024-02-30', '2024-13-01', '2024-01-01T25:00', '', '1e9', '2024-01-01T00:00:00+5'])(
    'rejects %j',
    (text) => {
      expect(parseTimeValue(text)).toBeUndefined();
    },
  );

  it('formats microseconds as ISO that parses back exactly', () => {
    expect(formatTimeValue(1704067200000000)).toBe('2024-01-01T00:00:00Z');
    expect(formatTimeValue(1704067200123000)).toBe('2024-01-01T00:00:00.123Z');
    expect(formatTimeValue(1704067200123456)).toBe('2024-01-01T00:00:00.123456Z');
    for (const micros of [0, 1, 999, 1704067200000001, -1, 4102444799999999]) {
      expect(parseTimeValue(formatTimeValue(micros))).toBe(micros);
    }
  });
});
