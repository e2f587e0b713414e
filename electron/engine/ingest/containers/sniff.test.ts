import { describe, expect, it } from 'vitest';
import { sniffContainer } from './sniff.ts';

const sniff = (text: string | Buffer) => sniffContainer(typeof text === 'string' ? Buffer.from(text) : text);

describe('sniffContainer', () => {
  it('recognizes JSON arrays', () => {
    expect(sniff('  \n[\n {"a":1}]')).toEqual({ kind: 'json-array' });
  });

  it('recognizes NDJSON, a single-object file included', () => {
    expect(sniff('{"a":1}\n\n{"a":2}\n')).toEqual({ kind: 'ndjson' });
    expect(sniff('{"a":1,"target":[{"id":1}]}\r\n{"a":2')).toEqual({ kind: 'ndjson' });
    expect(sniff('{"a":1}')).toEqual({ kind: 'ndjson' });
    expect(sniff('{"events":[{"name":"x"}]}\n')).toEqual({ kind: 'ndjson' });
  });

  it('recognizes wrapper objects, pretty-printed, one-line, or cut off in the head', () => {
    expect(sniff('{\n  "Records": [\n    {\n')).toEqual({ kind: 'json-wrapper', wrapperKey: 'Records' });
    expect(sniff('{"Records":[{"eventVersion":"1.08"}]}')).toEqual({
      kind: 'json-wrapper',
      wrapperKey: 'Records',
    });
    expect(sniff('{"kind":"x","meta":{"a":[{}]},"nums":[1],"items":[{"id":1},{"id":')).toEqual({
      kind: 'json-wrapper',
      wrapperKey: 'items',
    });
    expect(sniff('{\n "page": 1,\n "hits": [\n {"x": "[{"}')).toEqual({
      kind: 'json-wrapper',
      wrapperKey: 'hits',
    });
    expect(sniff('{\n "odd": [{"x": 1}]')).toEqual({ kind: 'json-wrapper', wrapperKey: 'odd' });
    expect(sniff('{\n "n": 2,\n "auditLog": [{"x": "a long record"}, {"x": "another long one"}]\n}')).toEqual(
      {
        kind: 'json-wrapper',
        wrapperKey: 'auditLog',
      },
    );
  });

  it('reads a whole pretty-printed object as a record, not its array field as a wrapper', () => {
    const okta = JSON.stringify(
      {
        uuid: 'f1b8e4d2',
        published: '2024-01-01T00:00:00Z',
        eventType: 'user.session.start',
        actor: { id: '00u1', alternateId: 'alice@example.com', displayName: 'Alice' },
        target: [{ id: '0oa1', type: 'AppInstance' }],
      },
      null,
      2,
    );
    expect(sniff(okta)).toEqual({ kind: 'json-objects' });
    expect(sniff(`${okta}\n${okta}\n`)).toEqual({ kind: 'json-objects' });
    expect(sniff('{\n "a": 1,\n "b": [1]\n}')).toEqual({ kind: 'json-objects' });
  });

  it('decides a first line longer than the head by its first key', () => {
    const big = 'x'.repeat(300_000);
    const head = (text: string) => sniff(Buffer.from(text).subarray(0, 256 * 1024));
    expect(head(`{"Records":[{"eventName":"${big}"}]}`)).toEqual({
      kind: 'json-wrapper',
      wrapperKey: 'Records',
    });
    expect(head(`{"eventName":"a","data":[{"a":1}],"blob":"${big}"}\n{}`)).toEqual({ kind: 'ndjson' });
    expect(head(`{"blob":"${big}"}\n{}`)).toEqual({ kind: 'ndjson' });
  });

  it('recognizes auditd', () => {
    expect(sniff('type=SYSCALL msg=audit(1364481363.243:24287): arch=c000003e\n')).toEqual({
      kind: 'auditd',
    });
    expect(sniff('node=web1 type=LOGIN msg=audit(1.2:3): pid=1\n')).toEqual({ kind: 'auditd' });
  });

  it('recognizes CSV and its delimiter', () => {
    expect(sniff('Event Type,Event Name,"a,b"\r\n1,2,3')).toEqual({ kind: 'csv', delimiter: ',' });
    expect(sniff('a;b;c\n1;2;3')).toEqual({ kind: 'csv', delimiter: ';' });
    expect(sniff('a\tb,c\tc\n')).toEqual({ kind: 'csv', delimiter: '\t' });
    expect(sniff(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x,y\n')]))).toEqual({
      kind: 'csv',
      delimiter: ',',
    });
    expect(sniff(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x;y\r\n', 'utf16le')]))).toEqual({
      kind: 'csv',
      delimiter: ';',
    });
  });

  it('returns null for empty, binary and unrecognized input', () => {
    expect(sniff('')).toBeNull();
    expect(sniff(' \r\n\t')).toBeNull();
    expect(sniff('just some words\nmore words')).toBeNull();
    expect(sniff(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x2c]))).toBeNull();
  });
});
