import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GzipError, maybeGunzip } from './gzip.ts';
import { readRecords } from './read-records.ts';
import { streamOf } from './test-support.ts';

async function gunzipAll(chunks: Uint8Array[], caps?: Parameters<typeof maybeGunzip>[1]): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of maybeGunzip(streamOf(chunks), caps)) out.push(chunk);
  return Buffer.concat(out);
}

function splitEvery(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

describe('maybeGunzip', () => {
  it('passes plain input through unchanged, even in 1-byte chunks', async () => {
    const plain = Buffer.from('{"a":1}\n{"a":2}\n');
    expect((await gunzipAll([plain])).toString()).toBe(plain.toString());
    expect((await gunzipAll(splitEvery(plain, 1))).toString()).toBe(plain.toString());
    expect(await gunzipAll([])).toEqual(Buffer.alloc(0));
    expect((await gunzipAll([Buffer.from([0x1f])])).toString('hex')).toBe('1f');
  });

  it('decompresses every member of a multi-member gzip', async () => {
    const members = Buffer.concat([gzipSync('{"m":1}\n'), gzipSync('{"m":2}\n'), gzipSync('{"m":3}\n')]);
    for (const size of [1, 7, members.length]) {
      expect((await gunzipAll(splitEvery(members, size))).toString()).toBe('{"m":1}\n{"m":2}\n{"m":3}\n');
    }
  });

  it('throws GzipError for a truncated gzip instead of ending quietly', async () => {
    const whole = gzipSync(Buffer.from('{"line":"x"}\n'.repeat(10_000)));
    for (const keep of [whole.length - 1, whole.length - 8, Math.floor(whole.length / 2), 12]) {
      const error = await gunzipAll(splitEvery(whole.subarray(0, keep), 4096)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GzipError);
      expect((error as Error).message).toMatch(/^truncated gzip input/);
    }
  });

  it('throws GzipError when bytes after a member are not another member', async () => {
    const first = gzipSync('{"m":1}\n');
    const damaged = Buffer.from(gzipSync('{"m":2}\n'));
    damaged[0] = 0x00;
    for (const tail of [damaged, Buffer.from('\x00\x00trailing junk')]) {
      for (const size of [1, 7, 4096]) {
        const error = await gunzipAll(splitEvery(Buffer.concat([first, tail]), size)).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(GzipError);
      }
    }
    // Zero padding (tape blocks, some archivers) after the last member is not damage.
    const padded = Buffer.concat([first, Buffer.alloc(1024)]);
    expect((await gunzipAll(splitEvery(padded, 100))).toString()).toBe('{"m":1}\n');
  });

  it('throws GzipError for corrupt gzip data', async () => {
    const bad = Buffer.from(gzipSync('hello world, hello world'));
    bad.fill(0xaa, 10, 20);
    await expect(gunzipAll([bad])).rejects.toThrow(GzipError);
  });

  it('aborts a gzip bomb early on the ratio cap', async () => {
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const started = Date.now();
    let seen = 0;
    const error = await (async () => {
      for await (const chunk of maybeGunzip(streamOf(splitEvery(bomb, 64 * 1024)))) seen += chunk.length;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GzipError);
    expect((error as Error).message).toBe('gzip compression ratio above 200:1 (possible gzip bomb)');
    expect(seen).toBeLessThanOrEqual(64 * 1024 * 1024 + 64 * 1024);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('aborts when the output exceeds maxOutputBytes', async () => {
    const data = gzipSync(Buffer.alloc(1024 * 1024, 'a'));
    await expect(gunzipAll([data], { maxOutputBytes: 100_000 })).rejects.toThrow(
      'gzip output exceeds 100000 bytes',
    );
  });

  it('feeds readRecords: gzip NDJSON in, records out with offsets in the decompressed stream', async () => {
    const gz = Buffer.concat([gzipSync('{"a":1}\n'), gzipSync('{"a":2}\n')]);
    const items = [];
    for await (const item of readRecords(maybeGunzip(streamOf(splitEvery(gz, 5))), { kind: 'ndjson' }))
      items.push(item);
    expect(items.map((i) => (i.kind === 'record' ? [i.record.offset, i.record.value.a] : null))).toEqual([
      [0, 1],
      [8, 2],
    ]);
  });
});
