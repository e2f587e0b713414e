import { describe, expect, it } from 'vitest';
import { readAll, records, rejects } from './test-support.ts';

const NDJSON = { kind: 'ndjson' } as const;

describe('readRecords ndjson', () => {
  it('yields one record per line with offsets, lines and exact text', async () => {
    const input = '{"a":1}\n{"b":"x y"}\r\n\r\n   \n{"c":[1,2]}';
    const items = await readAll(input, NDJSON);
    expect(rejects(items)).toEqual([]);
    expect(records(items).map(({ text, offset, line }) => ({ text, offset, line }))).toEqual([
      { text: '{"a":1}', offset: 0, line: 1 },
      { text: '{"b":"x y"}', offset: 8, line: 2 },
      { text: '{"c":[1,2]}', offset: 27, line: 5 },
    ]);
    expect(records(items)[2]?.value).toEqual({ c: [1, 2] });
    expect(items[0]).toMatchObject({ kind: 'record', byteLength: 7 });
  });

  it('treats lone CR as a line terminator', async () => {
    const items = await readAll('{"a":1}\r{"a":2}\r\r{"a":3}\r', NDJSON);
    expect(records(items).map((r) => [r.offset, r.line, r.value.a])).toEqual([
      [0, 1, 1],
      [8, 2, 2],
      [17, 4, 3],
    ]);
  });

  it('rejects invalid JSON and non-objects, and continues', async () => {
    const items = await readAll('{"a":1}\n{"a":\n42\n[1]\n"text"\nnull\n{"ok":true}\n', NDJSON);
    expect(records(items).map((r) => r.line)).toEqual([1, 7]);
    const found = rejects(items);
    expect(found.map((r) => [r.line, r.offset, r.length])).toEqual([
      [2, 8, 5],
      [3, 14, 2],
      [4, 17, 3],
      [5, 21, 6],
      [6, 28, 4],
    ]);
    expect(found[0]?.reason).toMatch(/^invalid JSON: /);
    expect(found.slice(1).map((r) => r.reason)).toEqual(Array(4).fill('not a JSON object'));
    expect(Buffer.from(found[0]?.head ?? []).toString()).toBe('{"a":');
  });

  it('unwraps a JSON string that holds an object, keeping the text as is', async () => {
    const line = JSON.stringify(JSON.stringify({ action: 'user.login', n: 1 }));
    const items = await readAll(`${line}\n"{not json"\n`, NDJSON);
    const [record] = records(items);
    expect(record?.text).toBe(line);
    expect(record?.value).toEqual({ action: 'user.login', n: 1 });
    expect(record?.document).toEqual({ action: 'user.login', n: 1 });
    expect(rejects(items).map((r) => r.reason)).toEqual(['not a JSON object']);
  });

  it('gives zero records for an empty or whitespace-only input', async () => {
    expect(await readAll('', NDJSON)).toEqual([]);
    expect(await readAll(' \n\t\r\n  \r', NDJSON)).toEqual([]);
  });

  it('rejects an oversize line once, without losing its neighbours', async () => {
    const big = `{"pad":"${'x'.repeat(5000 - 10)}"}`;
    expect(big.length).toBe(5000);
    const input = `{"n":1}\n${big}\n{"n":2}\n`;
    for (const cuts of [[], [100, 2000, 4000], [9, 1033]]) {
      const items = await readAll(input, NDJSON, { maxRecordBytes: 1024 }, cuts);
      expect(records(items).map((r) => [r.value.n, r.offset, r.line])).toEqual([
        [1, 0, 1],
        [2, 5009, 3],
      ]);
      const found = rejects(items);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        offset: 8,
        line: 2,
        length: 5000,
        reason: 'record exceeds 1024 bytes',
      });
      expect(Buffer.from(found[0]?.head ?? []).toString()).toBe(big.slice(0, 256));
    }
  });

  it('rejects records nested deeper than maxDepth without a RangeError', async () => {
    const deepArray = '['.repeat(100_000) + ']'.repeat(100_000);
    const deepObject = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const ok = '{"a":'.repeat(63) + '1' + '}'.repeat(63);
    const tooDeep = '{"a":'.repeat(65) + '1' + '}'.repeat(65);
    const items = await readAll([deepArray, deepObject, ok, tooDeep, '{"z":1}'].join('\n'), NDJSON);
    expect(
      items.map((i) =>
        i.kind === 'record' ? `record ${i.record.line}` : `${i.reject.line}: ${i.reject.reason}`,
      ),
    ).toEqual([
      '1: not a JSON object',
      '2: nesting deeper than 64 levels',
      'record 3',
      '4: nesting deeper than 64 levels',
      'record 5',
    ]);
    const custom = await readAll('{"a":{"b":{}}}', NDJSON, { maxDepth: 2 });
    expect(rejects(custom).map((r) => r.reason)).toEqual(['nesting deeper than 2 levels']);
  });

  it('flags invalid UTF-8, keeps the raw bytes, and still parses', async () => {
    const bad = [Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff, 0xfe])];
    const lines = bad.map((b) => Buffer.concat([Buffer.from('{"s":"'), b, Buffer.from('"}')]));
    const input = Buffer.concat([
      Buffer.from('{"ok":"é"}\n'),
      ...lines.flatMap((l) => [l, Buffer.from('\n')]),
    ]);
    for (let cut = 0; cut <= input.length; cut++) {
      const items = await readAll(input, NDJSON, undefined, [cut]);
      expect(items.map((i) => i.kind === 'record' && i.record.encodingError)).toEqual([
        false,
        true,
        true,
        true,
      ]);
      expect(items.map((i) => (i.kind === 'record' ? i.raw : undefined))).toEqual([
        undefined,
        ...lines.map((l) => Uint8Array.from(l)),
      ]);
      const second = records(items)[1];
      expect(second?.text).toBe('{"s":"\uFFFD\uFFFD"}');
      expect(second?.value.s).toBe('\uFFFD\uFFFD');
      expect(records(items)[0]?.text).toBe('{"ok":"é"}');
    }
  });

  it('strips a UTF-8 BOM but counts it in offsets', async () => {
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\n{"a":2}')]);
    for (const cuts of [[], [1], [2], [3], [4]]) {
      const items = await readAll(input, NDJSON, undefined, cuts);
      expect(records(items).map((r) => [r.offset, r.line, r.text])).toEqual([
        [3, 1, '{"a":1}'],
        [11, 2, '{"a":2}'],
      ]);
    }
  });

  it('transcodes UTF-16LE and UTF-16BE input (offsets are in the UTF-8 transcoding)', async () => {
    const text = '{"user":"żółw"}\r\n{"user":"b"}\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    for (const input of [le, be]) {
      for (const cuts of [[], [1], [3], [7]]) {
        const items = await readAll(input, NDJSON, undefined, cuts);
        expect(records(items).map((r) => [r.offset, r.line, r.text, r.value.user])).toEqual([
          [0, 1, '{"user":"żółw"}', 'żółw'],
          [20, 2, '{"user":"b"}', 'b'],
        ]);
      }
    }
  });

  it('keeps __proto__ keys as data', async () => {
    const [record] = records(await readAll('{"__proto__":{"isAdmin":true}}', NDJSON));
    expect(Object.keys(record?.value ?? {})).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

describe('readRecords auditd', () => {
  it('yields one record per non-blank line with an empty value', async () => {
    const input =
      'type=SYSCALL msg=audit(1.0:1): a=1\n\ntype=PATH msg=audit(1.0:1): item=0\r\ntype=EOE msg=audit(1.0:1):';
    const items = await readAll(input, { kind: 'auditd' });
    expect(records(items).map((r) => [r.offset, r.line, r.text, Object.keys(r.value).length])).toEqual([
      [0, 1, 'type=SYSCALL msg=audit(1.0:1): a=1', 0],
      [36, 3, 'type=PATH msg=audit(1.0:1): item=0', 0],
      [72, 4, 'type=EOE msg=audit(1.0:1):', 0],
    ]);
    expect(Object.getPrototypeOf(records(items)[0]?.value)).toBeNull();
  });
});
