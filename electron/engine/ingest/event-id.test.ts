import { describe, expect, it } from 'vitest';
import { canonicalJson, eventId, fieldsDigest, parseForHashing } from './event-id.ts';
import { prng } from '../../../test/support/prng.ts';
import { createGenericNormalizer } from './normalize/generic.ts';
import { toRow } from './to-event.ts';
import type { EventRow } from '../store/event-row.ts';

describe('eventId', () => {
  it('uses the source event id when there is one, prefixed with the source', () => {
    expect(eventId('aws.cloudtrail', 'abc-123', { a: 1 })).toBe('aws.cloudtrail:abc-123');
    // A client-chosen id in one source cannot collide with another source's event.
    expect(eventId('k8s.audit', 'abc-123', { a: 1 })).not.toBe(
      eventId('aws.cloudtrail', 'abc-123', { a: 1 }),
    );
  });

  it('digests fields in order and exactly', () => {
    expect(fieldsDigest(['a', 1])).toMatch(/^[0-9a-f]{16}$/);
    expect(fieldsDigest(['a', 1])).toBe(fieldsDigest(['a', 1]));
    expect(fieldsDigest(['a', 1])).not.toBe(fieldsDigest([1, 'a']));
    expect(fieldsDigest(['a', undefined])).not.toBe(fieldsDigest(['a', 'undefined']));
  });

  it('hashes the canonical record: key order and whitespace do not matter', () => {
    const a = JSON.parse('{"b":1,"a":{"y":[1,2,{"q":null}],"x":"s"}}');
    const b = JSON.parse('{ "a" : { "x" : "s", "y" : [1, 2, {"q": null}] }, "b" : 1 }');
    expect(eventId('generic', undefined, a)).toBe(eventId('generic', undefined, b));
    expect(eventId('generic', undefined, a)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(eventId('okta', undefined, a)).not.toBe(eventId('generic', undefined, a));
  });

  it('keeps the ids of cases written before: the same digests, to the bit', () => {
    // Events imported again, by an older or newer Auditscope, must be found to be duplicates.
    expect(eventId('generic', undefined, { b: 1, a: 'é' })).toBe(
      'sha256:bfd3847215969b577306814117b3fddc19e83a2dca1d389488616f6a240035de',
    );
    expect(fieldsDigest(['a', 1])).toBe('135f17a475a61afd');
  });

  it('writes canonical JSON with sorted keys and survives deep nesting', () => {
    expect(canonicalJson({ b: [1, 'x'], a: { d: true, c: null } })).toBe(
      '{"a":{"c":null,"d":true},"b":[1,"x"]}',
    );
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => canonicalJson(deep)).not.toThrow();
  });

  it('keeps integers past 2^53 apart', () => {
    const a = parseForHashing('{"id":1234567890123456789,"t":1}');
    const b = parseForHashing('{"id":1234567890123456790,"t":1}');
    expect(JSON.parse('{"id":1234567890123456789}')).toEqual(JSON.parse('{"id":1234567890123456790}'));
    expect(eventId('generic', undefined, a)).not.toBe(eventId('generic', undefined, b));
    expect(canonicalJson(a)).toBe('{"id":1234567890123456789,"t":1}');
  });

  it('gives an imported record the id of its exact numbers, with or without long integers', () => {
    const idOf = (text: string): unknown => {
      const record = { value: JSON.parse(text), text, encodingError: false, offset: 0, line: 1 };
      return (toRow(record, createGenericNormalizer({ time: 't' }), 1) as EventRow)[0];
    };
    const big = '{"id":1234567890123456789,"t":"2024-01-01T00:00:00Z"}';
    expect(idOf(big)).toBe(eventId('generic', undefined, parseForHashing(big)));
    expect(idOf(big)).not.toBe(idOf('{"id":1234567890123456790,"t":"2024-01-01T00:00:00Z"}'));
    // Without a long integer the record is hashed as first parsed: the same id.
    const small = '{"n": 1.50, "t":"2024-01-01T00:00:00Z", "id":"123456789012345"}';
    expect(idOf(small)).toBe(eventId('generic', undefined, parseForHashing(small)));
  });

  it('treats a __proto__ key as data', () => {
    const value = JSON.parse('{"__proto__":{"isAdmin":true}}');
    expect(canonicalJson(value)).toBe('{"__proto__":{"isAdmin":true}}');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('writes a flat record (a table row) as the general walk does, whatever its keys and values', () => {
    const random = prng(42);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const keys = ['id', '10', '2', '__proto__', 'é', 'a"b', 'A', 'a', '', 'created_at', '\u0000', '😀'];
    const values: unknown[] = [
      'x',
      'with "quotes"',
      'é',
      '',
      '\n',
      0,
      -0,
      1.5,
      1e21,
      -7,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      false,
      null,
      undefined,
    ];
    for (let run = 0; run < 500; run++) {
      const record: Record<string, unknown> = JSON.parse('{}') as Record<string, unknown>;
      const size = Math.floor(random() * keys.length);
      for (let i = 0; i < size; i++)
        Object.defineProperty(record, pick(keys), {
          value: pick(values),
          enumerable: true,
          configurable: true,
          writable: true,
        });
      // Inside an array the record goes through the general walk; alone, through the flat path.
      expect(`[${canonicalJson(record)}]`).toBe(canonicalJson([record]));
    }
  });
});
