import { describe, expect, it } from 'vitest';
import { readAll, records, rejects } from './test-support.ts';

const CSV = { kind: 'csv', delimiter: ',' } as const;

describe('readRecords csv', () => {
  it('maps rows to null-prototype objects keyed by the header', async () => {
    const input = 'time, user ,action\r\n2024-01-01,alice,login\r\n2024-01-02,bob,logout\r\n';
    const items = await readAll(input, CSV);
    const found = records(items);
    expect(found.map((r) => [r.offset, r.line, r.text])).toEqual([
      [20, 2, '2024-01-01,alice,login'],
      [44, 3, '2024-01-02,bob,logout'],
    ]);
    expect({ ...found[0]?.value }).toEqual({ time: '2024-01-01', user: 'alice', action: 'login' });
    expect(Object.getPrototypeOf(found[0]?.value)).toBeNull();
    expect(found[0]?.document).toBe(found[0]?.value);
  });

  it('never reads a data row as the header when the header row itself is rejected', async () => {
    const items = await readAll(`time,${'x'.repeat(100)}\n2024-01-01,alice\n\n2024-01-02,bob\n`, CSV, {
      maxRecordBytes: 64,
    });
    expect(records(items)).toEqual([]);
    expect(rejects(items).map((r) => [r.line, r.reason])).toEqual([
      [1, 'record exceeds 64 bytes'],
      [2, 'no usable CSV header: the header row at line 1 was rejected'],
      [4, 'no usable CSV header: the header row at line 1 was rejected'],
    ]);
  });

  it('handles quotes, doubled quotes and newlines inside quotes', async () => {
    const input = 'a,b,c\n"x, y","say ""hi""","multi\r\nline\nfield"\n1,"",3\nplain"quote,2,3\n';
    const items = await readAll(input, CSV);
    const found = records(items);
    expect(found.map((r) => [r.line, r.offset])).toEqual([
      [2, 6],
      [5, 46],
      [6, 53],
    ]);
    expect(found[0]?.text).toBe('"x, y","say ""hi""","multi\r\nline\nfield"');
    expect({ ...found[0]?.value }).toEqual({ a: 'x, y', b: 'say "hi"', c: 'multi\r\nline\nfield' });
    expect({ ...found[1]?.value }).toEqual({ a: '1', b: '', c: '3' });
    expect({ ...found[2]?.value }).toEqual({ a: 'plain"quote', b: '2', c: '3' });
  });

  it('accepts ragged rows: missing keys absent, extra cells under _extraN', async () => {
    const items = await readAll('a,b\n1\n1,2,3,4\n', CSV);
    expect(rejects(items)).toEqual([]);
    expect(records(items).map((r) => ({ ...r.value }))).toEqual([
      { a: '1' },
      { a: '1', b: '2', _extra1: '3', _extra2: '4' },
    ]);
  });

  it('trims and de-duplicates header names, and keeps hostile names as data', async () => {
    const items = await readAll(' name ,name,,__proto__,name_2\n1,2,3,4,5\n', CSV);
    const [record] = records(items);
    expect(Object.keys(record?.value ?? {})).toEqual(['name', 'name_2', 'column_3', '__proto__', 'name_2_2']);
    expect(record?.value.__proto__).toBe('4');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('gives zero records for header-only, empty and blank input', async () => {
    expect(await readAll('a,b,c\r\n', CSV)).toEqual([]);
    expect(await readAll('a,b,c', CSV)).toEqual([]);
    expect(await readAll('', CSV)).toEqual([]);
    expect(await readAll('\r\n\n', CSV)).toEqual([]);
  });

  it('strips a BOM from the header', async () => {
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('user;ip\nalice;10.0.0.1\n')]);
    const [record] = records(await readAll(input, { kind: 'csv', delimiter: ';' }));
    expect(Object.keys(record?.value ?? {})).toEqual(['user', 'ip']);
    expect(record?.offset).toBe(11);
  });

  it('reads tab-separated values', async () => {
    const [record] = records(await readAll('a\tb\n"1\t2"\t3', { kind: 'csv', delimiter: '\t' }));
    expect({ ...record?.value }).toEqual({ a: '1\t2', b: '3' });
  });

  it('rejects an unterminated quote that runs to the end, saying where it started', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},row${i}`);
    rows[9] = '9,"broken';
    const input = `n,v\n${rows.join('\n')}\n`;
    const items = await readAll(input, CSV);
    expect(records(items).map((r) => r.value.n)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
    const found = rejects(items);
    expect(found).toHaveLength(1);
    const offset = input.indexOf('9,"broken');
    expect(found[0]).toMatchObject({
      offset,
      line: 11,
      length: input.length - offset,
      reason: 'unterminated quoted field starting at line 11',
    });
  });

  it('rejects an oversize row and continues', async () => {
    const input = `a,b\n1,2\n3,"${'z'.repeat(3000)}"\n5,6\n`;
    const items = await readAll(input, CSV, { maxRecordBytes: 1024 });
    expect(records(items).map((r) => r.value.a)).toEqual(['1', '5']);
    expect(rejects(items).map((r) => [r.offset, r.line, r.length, r.reason])).toEqual([
      [8, 3, 3004, 'record exceeds 1024 bytes'],
    ]);
  });

  it('gives identical rows and header names for UTF-8, UTF-8+BOM, UTF-16LE+BOM and UTF-16BE+BOM', async () => {
    const text = 'user,"note"\r\nżaneta,"a ""b"""\r\nbob,\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const variants = [
      Buffer.from(text),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      le,
      Buffer.from(le).swap16(),
    ];
    for (const input of variants) {
      const found = records(await readAll(input, CSV, undefined, [5]));
      expect(found.map((r) => ({ ...r.value }))).toEqual([
        { user: 'żaneta', note: 'a "b"' },
        { user: 'bob', note: '' },
      ]);
    }
  });
});
