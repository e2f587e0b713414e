import { describe, expect, it } from 'vitest';
import type { ContainerOptions, ContainerSpec } from './container-types.ts';
import { comparable, readAll } from './test-support.ts';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const bytes = (...parts: (string | number[] | Uint8Array)[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

interface Fixture {
  name: string;
  container: ContainerSpec;
  input: Buffer;
  options?: ContainerOptions;
  expectedItems: number;
}

const FIXTURES: Fixture[] = [
  {
    name: 'ndjson with mixed terminators, BOM, multibyte and invalid UTF-8',
    container: { kind: 'ndjson' },
    input: bytes(
      BOM,
      '{"a":"é€𝄞"}\r\n{"b":1}\r\r\n\n{"c":"x',
      [0xed, 0xa0, 0x80],
      '"}\r',
      '  \n{bad}\n{"d":"',
      'q'.repeat(40),
      '"}\n{"e":2}',
    ),
    options: { maxRecordBytes: 32 },
    expectedItems: 6,
  },
  {
    name: 'json-array with escapes, brackets in strings and an oversize element',
    container: { kind: 'json-array' },
    input: bytes(
      '[\r\n {"s":"a\\\\\\"]}[{","t":"\\\\"},\r{"u":"ü"}\n,{"big":"',
      'w'.repeat(40),
      '"}, 7 ,{"v":[1,{"w":null}]}\r\n]\n',
    ),
    options: { maxRecordBytes: 40 },
    expectedItems: 5,
  },
  {
    name: 'json-wrapper with skipped members',
    container: { kind: 'json-wrapper', wrapperKey: 'Records' },
    input: bytes('{"x":{"Records":[{}]},"y":"\\"Records\\"",\r\n"Records":[{"a":1},\r\n{"b":"}"}],"z":[1]}'),
    expectedItems: 2,
  },
  {
    name: 'csv with quotes, CRLF inside quotes, ragged rows and an unterminated quote',
    container: { kind: 'csv', delimiter: ',' },
    input: bytes(
      BOM,
      'h1,"h ""2""",h3\r\n1,"a,b","c\r\nd"\r\n2,"x""y"\r3,,,extra\n\r\n4,"é",z\r\n5,"never closed\r\n6,a,b\r\n',
    ),
    expectedItems: 5,
  },
  {
    name: 'auditd lines',
    container: { kind: 'auditd' },
    input: bytes(
      'type=SYSCALL msg=audit(1.1:2): a=b\r\ntype=PATH msg=audit(1.1:2): name="x y"\r\r\ntype=EOE msg=audit(1.1:2):',
    ),
    expectedItems: 3,
  },
];

describe('chunk boundaries', () => {
  for (const fixture of FIXTURES) {
    it(`${fixture.name}: identical items for every split`, async () => {
      const { input, container, options } = fixture;
      const whole = comparable(await readAll(input, container, options));
      expect(whole).toHaveLength(fixture.expectedItems);
      for (let cut = 0; cut <= input.length; cut++) {
        expect(comparable(await readAll(input, container, options, [cut])), `cut at ${cut}`).toEqual(whole);
      }
      for (let a = 1; a < input.length; a += 3) {
        for (let b = a; b < input.length; b += 2) {
          expect(comparable(await readAll(input, container, options, [a, b])), `cuts at ${a},${b}`).toEqual(
            whole,
          );
        }
      }
      const everyByte = Array.from({ length: input.length }, (_, i) => i);
      expect(comparable(await readAll(input, container, options, everyByte)), 'one byte per chunk').toEqual(
        whole,
      );
    });
  }
});
