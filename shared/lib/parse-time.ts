/**
 * Timestamp parsing for audit sources: ISO 8601 / RFC 3339, epoch numbers of any unit, RFC 3164
 * syslog and auditd `epoch.millis`. Pure (no node:*), so both engine and renderer can use it.
 */

export type TimePrecision = 's' | 'ms' | 'us' | 'ns';

export interface ParsedTime {
  /** UTC instant as integer epoch microseconds. */
  time: number;
  /** Finest unit the source actually wrote. */
  precision: TimePrecision;
}

export interface ParseTimeOptions {
  /** Reference "now" (epoch milliseconds) used to infer the year of RFC 3164 timestamps. */
  now?: number;
  /** Zone for inputs that carry none. Only UTC is supported for now. */
  defaultZone?: 'UTC';
}

const US_PER_SECOND = 1_000_000;
const US_PER_DAY = 86_400 * US_PER_SECOND;
/** An RFC 3164 event may lie this far in the future (clock skew) before we pick the previous year. */
const SYSLOG_FUTURE_SKEW_US = US_PER_DAY;
/** Longest input worth looking at: anything longer is not a timestamp. */
const MAX_INPUT_LENGTH = 64;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$/;
const SYSLOG_RE = /^([A-Za-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;
const EPOCH_RE = /^(\d{1,20})(?:\.(\d{1,9}))?$/;

/**
 * Parse a timestamp into integer epoch microseconds.
 *
 * Accepts ISO 8601 / RFC 3339 (any offset, `T` or space, up to nanosecond fractions, leap second
 * clamped to :59.999999), epoch seconds / ms / µs / ns as numbers or digit strings (unit decided by
 * magnitude), auditd `seconds.millis`, and RFC 3164 `Mmm dd hh:mm:ss` (year inferred from
 * `opts.now`). Returns null for anything else or anything out of range.
 */
export function parseTimestamp(input: string | number, opts: ParseTimeOptions = {}): ParsedTime | null {
  if (typeof input === 'number') return parseEpochNumber(input);
  if (typeof input !== 'string') return null;
  const text = input.trim();
  if (text.length === 0 || text.length > MAX_INPUT_LENGTH) return null;
  if (EPOCH_RE.test(text)) return parseDigitString(text);
  const iso = ISO_RE.exec(text);
  if (iso) return parseIso(iso);
  const syslog = SYSLOG_RE.exec(text);
  if (syslog) return parseSyslog(syslog, opts.now ?? Date.now());
  return null;
}

function parseEpochNumber(value: number): ParsedTime | null {
  if (!Number.isFinite(value) || value < 0) return null;
  // String(n) is exact for the digits a JSON number carried, and has no exponent below 1e21.
  const text = String(value);
  return EPOCH_RE.test(text) ? parseEpochString(text) : null;
}

const COMPACT_DATE_RE = /^(\d{4})(\d{2})(\d{2})$/;
/** Digit strings shorter than this are no epoch: 100000000 s is 1973-03-03. */
const MIN_EPOCH_DIGITS = 9;

/**
 * A digit string in a text column: eight digits are a compact date (`20240115`), shorter ones a
 * year, a count or an id rather than an epoch; longer ones an epoch of any unit.
 */
function parseDigitString(text: string): ParsedTime | null {
  const date = COMPACT_DATE_RE.exec(text);
  if (date) {
    const iso = ISO_RE.exec(`${date[1]}-${date[2]}-${date[3]}`);
    return iso ? parseIso(iso) : null;
  }
  const wholeDigits = text.indexOf('.') === -1 ? text.length : text.indexOf('.');
  return wholeDigits < MIN_EPOCH_DIGITS ? null : parseEpochString(text);
}

/** Integer part decides the unit by magnitude; BigInt keeps ns-sized digit strings exact. */
function parseEpochString(text: string): ParsedTime | null {
  const match = EPOCH_RE.exec(text);
  if (!match) return null;
  const whole = BigInt(match[1] ?? '0');
  const fraction = match[2] ?? '';
  let unitDigits: number;
  if (whole < 100_000_000_000n) unitDigits = 0;
  else if (whole < 100_000_000_000_000n) unitDigits = 3;
  else if (whole < 100_000_000_000_000_000n) unitDigits = 6;
  else if (whole < 100_000_000_000_000_000_000n) unitDigits = 9;
  else return null;
  // Express everything in nanoseconds, then truncate to microseconds.
  const wholeNs = whole * 10n ** BigInt(9 - unitDigits);
  const fracDigitsInNs = Math.max(0, 9 - unitDigits);
  const fracNs =
    fraction === '' ? 0n : BigInt(fraction.slice(0, fracDigitsInNs).padEnd(fracDigitsInNs, '0') || '0');
  const micros = (wholeNs + fracNs) / 1000n;
  if (micros > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return { time: Number(micros), precision: precisionOf(unitDigits + fraction.length) };
}

function parseIso(m: RegExpExecArray): ParsedTime | null {
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  let second = m[6] === undefined ? 0 : Number(m[6]);
  const fraction = m[7] ?? '';
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  let fracUs = fractionToMicros(fraction);
  if (second === 60) {
    // A leap second has no distinct POSIX instant: pin it to the last representable µs of :59.
    if (minute !== 59) return null;
    second = 59;
    fracUs = US_PER_SECOND - 1;
  }
  const offsetMinutes = parseOffset(m[8]);
  if (offsetMinutes === null) return null;
  const days = daysFromCivil(year, month, day);
  const secondsOfDay = hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  const time = days * US_PER_DAY + secondsOfDay * US_PER_SECOND + fracUs;
  if (!Number.isSafeInteger(time)) return null;
  return { time, precision: precisionOf(fraction.length) };
}

/** Offset in minutes east of UTC; missing zone means UTC (the only supported default zone). */
function parseOffset(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z' || zone === 'z' || zone === 'UTC' || zone === 'GMT') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

function parseSyslog(m: RegExpExecArray, nowMs: number): ParsedTime | null {
  const month = MONTHS.indexOf((m[1] ?? '').toLowerCase()) + 1;
  const day = Number(m[2]);
  const hour = Number(m[3]);
  const minute = Number(m[4]);
  const second = Number(m[5]);
  const fraction = m[6] ?? '';
  if (month === 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  if (!Number.isFinite(nowMs)) return null;
  const nowUs = Math.trunc(nowMs) * 1000;
  const timeIn = (year: number): number =>
    daysFromCivil(year, month, day) * US_PER_DAY +
    (hour * 3600 + minute * 60 + second) * US_PER_SECOND +
    fractionToMicros(fraction);
  // No-future rule: pick the current year unless that puts the event more than a day ahead.
  let year = new Date(nowMs).getUTCFullYear();
  if (timeIn(year) > nowUs + SYSLOG_FUTURE_SKEW_US) year -= 1;
  if (day > daysInMonth(year, month)) return null;
  const time = timeIn(year);
  if (!Number.isSafeInteger(time)) return null;
  return { time, precision: precisionOf(fraction.length) };
}

function fractionToMicros(fraction: string): number {
  if (fraction === '') return 0;
  return Number(fraction.slice(0, 6).padEnd(6, '0'));
}

function precisionOf(subSecondDigits: number): TimePrecision {
  if (subSecondDigits === 0) return 's';
  if (subSecondDigits <= 3) return 'ms';
  if (subSecondDigits <= 6) return 'us';
  return 'ns';
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm; no Date quirks for years < 100). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthIndex = month + (month > 2 ? -3 : 9);
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
