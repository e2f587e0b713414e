import { describe, it, expect } from 'vitest';
import { parseTimestamp } from './parse-time.ts';

const ms = (iso: string): number => Date.parse(iso) * 1000;

describe('parseTimestamp: epochs (T-B10)', () => {
  it.each([
    [1700000000, 1_700_000_000_000_000, 's'],
    [1700000000123, 1_700_000_000_123_000, 'ms'],
    [1700000000123456, 1_700_000_000_123_456, 'us'],
    ['1700000000', 1_700_000_000_000_000, 's'],
    ['1700000000123', 1_700_000_000_123_000, 'ms'],
    ['1700000000123456', 1_700_000_000_123_456, 'us'],
    // ns as a digit string stays exact; below-µs digits are truncated.
    ['1700000000123456789', 1_700_000_000_123_456, 'ns'],
    [0, 0, 's'],
    // auditd msg=audit(1489536000.123:…)
    ['1489536000.123', 1_489_536_000_123_000, 'ms'],
    [1489536000.123, 1_489_536_000_123_000, 'ms'],
    ['1489536000.123456', 1_489_536_000_123_456, 'us'],
    ['1700000000123.5', 1_700_000_000_123_500, 'us'],
  ] as const)('%s → %d (%s)', (input, time, precision) => {
    expect(parseTimestamp(input)).toEqual({ time, precision });
  });

  it('keeps µs of an ns number despite float rounding', () => {
    // What JSON.parse yields for a 19-digit ns epoch: a double that cannot hold every digit.
    const parsed = parseTimestamp(Number('1700000000123456789'));
    expect(parsed?.precision).toBe('ns');
    expect(Math.abs((parsed?.time ?? 0) - 1_700_000_000_123_456)).toBeLessThanOrEqual(1);
  });

  it('reads eight digits as a compact date, and shorter digit strings as no time at all', () => {
    expect(parseTimestamp('20240115')).toEqual({ time: ms('2024-01-15T00:00:00Z'), precision: 's' });
    expect(parseTimestamp('20241332')).toBeNull();
    for (const text of ['0', '2024', '4624', '1234567', '1234567.5']) expect(parseTimestamp(text)).toBeNull();
    expect(parseTimestamp('100000000')).toEqual({ time: 100_000_000_000_000, precision: 's' });
  });

  it.each([
    [-1],
    [-1700000000],
    ['-1700000000'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    ['123456789012345678901'],
    [1e21],
  ])('rejects %s', (input) => {
    expect(parseTimestamp(input)).toBeNull();
  });
});

describe('parseTimestamp: ISO 8601 / RFC 3339', () => {
  it.each([
    ['2024-06-01T12:00:00Z', ms('2024-06-01T12:00:00Z'), 's'],
    ['2024-06-01T12:00:00z', ms('2024-06-01T12:00:00Z'), 's'],
    ['2024-06-01T12:00:00+05:30', ms('2024-06-01T06:30:00Z'), 's'],
    ['2024-06-01T12:00:00-0800', ms('2024-06-01T20:00:00Z'), 's'],
    ['2024-06-01T12:00:00-08', ms('2024-06-01T20:00:00Z'), 's'],
    ['2024-06-01T12:00:00.123Z', ms('2024-06-01T12:00:00.123Z'), 'ms'],
    ['2024-06-01T12:00:00.123456Z', ms('2024-06-01T12:00:00Z') + 123_456, 'us'],
    ['2024-06-01T12:00:00.123456789Z', ms('2024-06-01T12:00:00Z') + 123_456, 'ns'],
    ['2024-06-01T12:00:00,5Z', ms('2024-06-01T12:00:00.5Z'), 'ms'],
    // Kubernetes stageTimestamp
    ['2018-10-26T13:42:46.808261Z', ms('2018-10-26T13:42:46Z') + 808_261, 'us'],
    // Windows TimeCreated (OTRF): space, no zone → UTC
    ['2020-10-18 19:50:09.123', ms('2020-10-18T19:50:09.123Z'), 'ms'],
    ['2020-10-18 19:50:09', ms('2020-10-18T19:50:09Z'), 's'],
    ['2020-10-18T19:50', ms('2020-10-18T19:50:00Z'), 's'],
    ['2020-10-18', ms('2020-10-18T00:00:00Z'), 's'],
    ['2024-03-26 05:33:15 UTC', ms('2024-03-26T05:33:15Z'), 's'],
    ['2022-02-18T17:39:28.127636+00:00', ms('2022-02-18T17:39:28Z') + 127_636, 'us'],
    ['  2024-06-01T12:00:00Z  ', ms('2024-06-01T12:00:00Z'), 's'],
    // Leap second is clamped to the last µs of :59.
    ['2016-12-31T23:59:60Z', ms('2016-12-31T23:59:59Z') + 999_999, 's'],
    ['2016-12-31T23:59:60.5Z', ms('2016-12-31T23:59:59Z') + 999_999, 'ms'],
    ['2024-02-29T00:00:00Z', ms('2024-02-29T00:00:00Z'), 's'],
    ['1969-12-31T23:59:59Z', -1_000_000, 's'],
  ] as const)('%s', (input, time, precision) => {
    expect(parseTimestamp(input)).toEqual({ time, precision });
  });

  it.each([
    '2024-13-01T00:00:00Z',
    '2024-02-30T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-06-01T24:00:00Z',
    '2024-06-01T12:60:00Z',
    '2024-06-01T12:30:60Z',
    '2024-06-01T12:00:00+25:00',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '2024-06-01T12:00:00 PST',
    'yesterday',
    '',
    '   ',
    '12:00:00',
    'Jul 30, 2024 9:53:13 PM',
    '1'.repeat(100),
  ])('rejects %j', (input) => {
    expect(parseTimestamp(input)).toBeNull();
  });
});

describe('parseTimestamp: RFC 3164 syslog', () => {
  const jan1 = Date.parse('2025-01-01T00:10:00Z');
  const jun1 = Date.parse('2025-06-01T00:00:00Z');

  it('Dec 31 seen on Jan 1 belongs to the previous year', () => {
    expect(parseTimestamp('Dec 31 23:59:59', { now: jan1 })).toEqual({
      time: ms('2024-12-31T23:59:59Z'),
      precision: 's',
    });
  });

  it('a date within the skew window stays in the current year', () => {
    expect(parseTimestamp('Jan  1 12:00:00', { now: jan1 })?.time).toBe(ms('2025-01-01T12:00:00Z'));
    expect(parseTimestamp('May 31 23:00:00', { now: jun1 })?.time).toBe(ms('2025-05-31T23:00:00Z'));
  });

  it('Feb 29 in a non-leap inferred year is rejected; in a leap year it is kept', () => {
    expect(parseTimestamp('Feb 29 10:00:00', { now: jun1 })).toBeNull();
    expect(parseTimestamp('Feb 29 10:00:00', { now: jan1 })?.time).toBe(ms('2024-02-29T10:00:00Z'));
  });

  it('parses fractions and single-digit days', () => {
    expect(parseTimestamp('Mar 5 01:02:03.250', { now: jun1 })).toEqual({
      time: ms('2025-03-05T01:02:03.250Z'),
      precision: 'ms',
    });
  });

  it.each(['Foo 12 10:00:00', 'Dec 32 10:00:00', 'Dec 12 25:00:00', 'Dec 12 10:61:00'])(
    'rejects %j',
    (input) => {
      expect(parseTimestamp(input, { now: jun1 })).toBeNull();
    },
  );
});
