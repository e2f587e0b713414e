/**
 * Wall-clock time in a named zone (IANA, or 'UTC'), from Intl alone: the offset at an instant,
 * the instant of a wall time, the local hour. Used for working hours, which are local by nature.
 */

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when Intl knows the zone. */
export function isKnownZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function zoneOffsetMs(instantMs: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(instantMs)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

/**
 * The instant a wall time (given as if it were UTC, in ms) has in the zone. Twice round the
 * offset settles it; a wall time skipped by a DST change lands just after the change.
 */
export function wallToInstantMs(wallAsUtcMs: number, zone: string): number {
  let instant = wallAsUtcMs - zoneOffsetMs(wallAsUtcMs, zone);
  instant = wallAsUtcMs - zoneOffsetMs(instant, zone);
  return instant;
}

/**
 * A fast "local hour of this instant" for many instants: offsets are looked up once per UTC hour
 * (zones change offset on the hour or half hour, and the half-hour zones keep it for the hour).
 */
export function localHourOf(zone: string): (micros: number) => number {
  const offsets = new Map<number, number>();
  return (micros) => {
    const ms = Math.floor(micros / 1000);
    const bucket = Math.floor(ms / HOUR_MS);
    let offset = offsets.get(bucket);
    if (offset === undefined) offsets.set(bucket, (offset = zoneOffsetMs(bucket * HOUR_MS, zone)));
    const local = ms + offset;
    return Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / HOUR_MS);
  };
}

/**
 * The stretches of [from, to) outside working hours `start`–`end` (local hours, 0–24) in the
 * zone, as UTC instant ranges in µs, in order. Start > end means hours that span midnight.
 */
export function offHoursWindows(
  from: number,
  to: number,
  zone: string,
  start: number,
  end: number,
): { from: number; to: number }[] {
  if (start === end) return [{ from, to }];
  const windows: { from: number; to: number }[] = [];
  const fromMs = Math.floor(from / 1000);
  const firstWall = fromMs + zoneOffsetMs(fromMs, zone);
  // Local midnights from the day before `from` to the day after `to`.
  let day = Math.floor(firstWall / 86_400_000) * 86_400_000 - 86_400_000;
  const lastMs = Math.ceil(to / 1000);
  const push = (a: number, b: number): void => {
    const lo = Math.max(from, a * 1000);
    const hi = Math.min(to, b * 1000);
    if (lo >= hi) return;
    const last = windows[windows.length - 1];
    if (last && last.to >= lo) last.to = Math.max(last.to, hi);
    else windows.push({ from: lo, to: hi });
  };
  while (wallToInstantMs(day, zone) < lastMs) {
    const at = (hour: number): number => wallToInstantMs(day + hour * HOUR_MS, zone);
    if (start < end) {
      push(at(0), at(start));
      push(at(end), at(24));
    } else push(at(end), at(start));
    day += 86_400_000;
  }
  return windows;
}
