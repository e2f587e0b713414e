import { describe, expect, it } from 'vitest';
import { readAll, records, rejects } from './test-support.ts';

const ARRAY = { kind: 'json-array' } as const;
const WRAPPER = { kind: 'json-wrapper', wrapperKey: 'Records' } as const;

function summary(items: Awaited<ReturnType<typeof readAll>>): string[] {
  return items.map((i) =>
    i.kind === 'record'
      ? `record @${i.record.offset} L${i.record.line}: ${i.record.text}`
      : `reject @${i.reject.offset} L${i.reject.line} len ${i.reject.length}: ${i.reject.reason}`,
  );
}

describe('readRecords json-array', () => {
  it('yields each element verbatim, pretty-printed ones included', async () => {
    const input = '[\n  {\n    "a": 1,\n    "s": "x]}\\"{["\n  },\n  {"b":[{"c":2}]}  ,{}\n]\n';
    const items = await readAll(input, ARRAY);
    expect(summary(items)).toEqual([
      'record @4 L2: {\n    "a": 1,\n    "s": "x]}\\"{["\n  }',
      'record @44 L6: {"b":[{"c":2}]}',
      'record @62 L6: {}',
    ]);
    expect(records(items)[0]?.value).toEqual({ a: 1, s: 'x]}"{[' });
  });

  it('handles escaped backslashes before a closing quote', async () => {
    const input = '[{"p":"C:\\\\dir\\\\"},{"q":"\\\\\\""}]';
    const items = await readAll(input, ARRAY);
    expect(records(items).map((r) => r.value)).toEqual([{ p: 'C:\\dir\\' }, { q: '\\"' }]);
  });

  it('rejects malformed and non-object elements and keeps going', async () => {
    const input = '[{"a":1}, {"b": tru}, 42, "s", null, [1], {"c":3} }, {"d":4}]';
    const items = await readAll(input, ARRAY);
    expect(summary(items).map((s) => s.replace(/: invalid JSON: .*/, ': invalid JSON'))).toEqual([
      'record @1 L1: {"a":1}',
      'reject @10 L1 len 10: invalid JSON',
      'reject @22 L1 len 2: not a JSON object',
      'reject @26 L1 len 3: not a JSON object',
      'reject @31 L1 len 4: not a JSON object',
      'reject @37 L1 len 3: not a JSON object',
      'record @42 L1: {"c":3}',
      'reject @50 L1 len 1: invalid JSON',
      'record @53 L1: {"d":4}',
    ]);
  });

  it('reports a document cut inside an element as truncated', async () => {
    const items = await readAll('[{"a":1},\n {"b":{"c":', ARRAY);
    expect(summary(items)).toEqual([
      'record @1 L1: {"a":1}',
      'reject @11 L2 len 10: truncated JSON document',
    ]);
    expect(Buffer.from(rejects(items)[0]?.head ?? []).toString()).toBe('{"b":{"c":');
  });

  it('reports an array that is never closed as truncated', async () => {
    const items = await readAll('[{"a":1},\n', ARRAY);
    expect(summary(items)).toEqual(['record @1 L1: {"a":1}', 'reject @10 L2 len 0: truncated JSON document']);
  });

  it('rejects data that is not an array', async () => {
    const items = await readAll('  {"a":1}\n', ARRAY);
    expect(summary(items)).toEqual(['reject @2 L1 len 8: unexpected data where a JSON array was expected']);
  });

  it('reads an empty array, empty input and whitespace as zero records', async () => {
    expect(await readAll('[ ]', ARRAY)).toEqual([]);
    expect(await readAll('', ARRAY)).toEqual([]);
    expect(await readAll('\n \r\n', ARRAY)).toEqual([]);
  });

  it('rejects an oversize element by its length and continues', async () => {
    const big = `{"pad":"${'y'.repeat(4990)}"}`;
    const input = `[{"n":1},\n${big},\n{"n":2}]`;
    for (const cuts of [[], [500], [12, 3000, 4000]]) {
      const items = await readAll(input, ARRAY, { maxRecordBytes: 1024 }, cuts);
      expect(summary(items)).toEqual([
        'record @1 L1: {"n":1}',
        'reject @10 L2 len 5000: record exceeds 1024 bytes',
        'record @5012 L3: {"n":2}',
      ]);
    }
  });

  it('rejects deep nesting without a RangeError', async () => {
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const items = await readAll(`[${deep},${'['.repeat(1e5)}${']'.repeat(1e5)},{"ok":1}]`, ARRAY);
    expect(items.map((i) => (i.kind === 'record' ? 'record' : i.reject.reason))).toEqual([
      'nesting deeper than 64 levels',
      'not a JSON object',
      'record',
    ]);
  });
});

describe('readRecords json-wrapper', () => {
  it('reads the elements under the wrapper key and ignores other keys', async () => {
    const input =
      '{"meta":{"Records":[{"no":1}]},"list":[1,2],\n "Records" : [\n {"a":1},\n {"b":"]"}\n ],"tail":"x"}';
    const items = await readAll(input, WRAPPER);
    expect(summary(items)).toEqual(['record @61 L3: {"a":1}', 'record @71 L4: {"b":"]"}']);
  });

  it('says so when the wrapper key is missing', async () => {
    const items = await readAll('{"records":[{"a":1}]}', WRAPPER);
    expect(summary(items)).toEqual(['reject @21 L1 len 0: no array under the key "Records"']);
  });

  it('reports truncation inside the wrapper', async () => {
    expect(summary(await readAll('{"Records":[{"a":1},{"b":', WRAPPER))).toEqual([
      'record @12 L1: {"a":1}',
      'reject @20 L1 len 5: truncated JSON document',
    ]);
    expect(summary(await readAll('{"Records":[{"a":1}]', WRAPPER))).toEqual([
      'record @12 L1: {"a":1}',
      'reject @20 L1 len 0: truncated JSON document',
    ]);
  });
});

describe('readRecords json-objects', () => {
  const OBJECTS = { kind: 'json-objects' } as const;

  it('yields each top-level object verbatim, pretty-printed or back to back', async () => {
    const input = '{\n  "a": 1,\n  "t": [{"id": "}"}]\n}\n{"b":2}{"c":3},\n{"d":4}\n';
    expect(summary(await readAll(input, OBJECTS))).toEqual([
      'record @0 L1: {\n  "a": 1,\n  "t": [{"id": "}"}]\n}',
      'record @35 L5: {"b":2}',
      'record @42 L5: {"c":3}',
      'record @51 L6: {"d":4}',
    ]);
  });

  it('rejects what is not an object and a truncated last object', async () => {
    expect(summary(await readAll('{"a":1}\n[1]\n{"b":2}', OBJECTS))).toEqual([
      'record @0 L1: {"a":1}',
      'reject @8 L2 len 11: unexpected data where a JSON object was expected',
    ]);
    expect(summary(await readAll('{"a":1}\n{"b":', OBJECTS))).toEqual([
      'record @0 L1: {"a":1}',
      'reject @8 L2 len 5: truncated JSON document',
    ]);
  });
});
