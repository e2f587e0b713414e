/**
 * Log text is hostile: a field can carry terminal escapes (CWE-150) or bidi overrides that make
 * displayed text differ from logical text (Trojan Source, CVE-2021-42574). Before text reaches a
 * terminal or a cell, these make every such character visible instead of letting it act.
 */

// C0 controls except TAB, DEL, C1 controls; bidi embeddings/overrides/isolates and marks; zero-width chars.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/g;

/** Replaces control, bidi and zero-width characters with visible stand-ins (␛, ␊, ⟨U+202E⟩ …). */
export function makeControlsVisible(text: string): string {
  return text.replace(INVISIBLE, (ch) => {
    const code = ch.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␀ … ␟ (Control Pictures)
    if (code === 0x7f) return '\u2421'; // ␡
    return `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
  });
}

/** True when the text holds characters that `makeControlsVisible` would replace. */
export function hasInvisibleCharacters(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.test(text);
  INVISIBLE.lastIndex = 0;
  return found;
}

const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/g;

/**
 * JSON text safe to print on a terminal: JSON.stringify already escapes C0 controls; this also
 * escapes DEL, C1 controls and bidi/zero-width characters as \uXXXX. The JSON value is unchanged.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * One CSV cell per RFC 4180, safe to open in a spreadsheet: cells that start like a formula
 * (= + - @ TAB CR, and fullwidth ＝ ＋ － ＠) get a leading apostrophe (OWASP ASVS 1.2.10).
 */
export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) || guarded !== value ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
