import { describe, expect, it } from 'vitest';
import { localHourOf, offHoursWindows, wallToInstantMs, zoneOffsetMs } from './zoned-time.ts';

const utc = (iso: string): number => Date.parse(iso) * 1000;
const iso = (micros: number): string => new Date(micros / 1000).toISOString().slice(0, 16);

describe('zoned time', () => {
  it('knows offsets either side of a DST change, and in half-hour zones', () => {
    expect(zoneOffsetMs(Date.parse('2024-03-30T12:00Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(zoneOffsetMs(Date.parse('2024-03-31T12:00Z'), 'Europe/Berlin')).toBe(7_200_000);
    expect(zoneOffsetMs(Date.parse('2024-01-01T00:00Z'), 'Asia/Kolkata')).toBe(19_800_000);
    expect(wallToInstantMs(Date.parse('2024-03-31T06:00Z'), 'Europe/Berlin')).toBe(
      Date.parse('2024-03-31T04:00Z'),
    );
    const hour = localHourOf('Asia/Kolkata');
    expect(hour(utc('2024-01-01T00:29Z'))).toBe(5);
    expect(hour(utc('2024-01-01T00:30Z'))).toBe(6);
  });

  it('finds the nights outside working hours, across a DST change', () => {
    const nights = offHoursWindows(
      utc('2024-03-30T00:00Z'),
      utc('2024-04-01T00:00Z'),
      'Europe/Berlin',
      6,
      22,
    );
    expect(nights.map((n) => [iso(n.from), iso(n.to)])).toEqual([
      ['2024-03-30T00:00', '2024-03-30T05:00'], // clipped at the period's start; 06:00 CET
      ['2024-03-30T21:00', '2024-03-31T04:00'], // 22:00 CET to 06:00 CEST
      ['2024-03-31T20:00', '2024-04-01T00:00'], // 22:00 CEST, clipped at the end
    ]);
  });

  it('takes working hours that span midnight (a night shift) and equal bounds as all day', () => {
    const day = offHoursWindows(utc('2024-06-01T00:00Z'), utc('2024-06-02T00:00Z'), 'UTC', 22, 6);
    expect(day.map((n) => [iso(n.from), iso(n.to)])).toEqual([['2024-06-01T06:00', '2024-06-01T22:00']]);
    expect(offHoursWindows(1, 2, 'UTC', 9, 9)).toEqual([{ from: 1, to: 2 }]);
  });
});
