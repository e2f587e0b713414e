import { makeControlsVisible } from '../../../shared/lib/visible-text.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone === 'local' ? undefined : zone === 'utc' ? 'UTC' : zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** `2024-03-01 12:34:56.789` in the display zone; the instant itself is always UTC µs. */
export function formatTime(micros: number, zone: string): string {
  const millis = Math.floor(micros / 1000);
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(millis))
      .map((p) => [p.type, p.value]),
  );
  const fraction = String(millis % 1000).padStart(3, '0');
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${fraction}`;
}

export function zoneLabel(zone: string): string {
  if (zone === 'utc') return 'UTC';
  if (zone === 'local') return `Local (${Intl.DateTimeFormat().resolvedOptions().timeZone})`;
  return zone;
}

/** Log text for a cell: controls, bidi overrides and zero-width characters made visible. */
export function cellText(value: string | undefined): string {
  return value === undefined ? '' : makeControlsVisible(value);
}

/** A tag colour as the engine assigns them (#rrggbb); anything else (a tampered case) shows neutral. */
export function safeTagColor(color: string): string {
  return /^#[0-9a-fA-F]{6}$/.test(color) ? color : 'var(--muted)';
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * A time axis label as precise as the axis needs: seconds over a couple of hours, minutes over a
 * few days, dates beyond.
 */
export function formatAxisTime(micros: number, spanMicros: number, zone: string): string {
  const full = formatTime(micros, zone); // 2024-03-01 12:34:56.789
  if (spanMicros <= 2 * 3600e6) return full.slice(11, 19);
  if (spanMicros <= 3 * 86_400e6) return full.slice(5, 16);
  return full.slice(0, 10);
}

/** A chart label cut to `max` characters, with an ellipsis when cut. */
export function clipLabel(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
