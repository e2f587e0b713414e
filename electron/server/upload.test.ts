import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-case.ts';
import { receiveUpload, safeUploadName } from './upload.ts';

describe('safeUploadName', () => {
  it('keeps a plain name and drops any folder part', () => {
    expect(safeUploadName('cloudtrail.json.gz')).toBe('cloudtrail.json.gz');
    expect(safeUploadName(encodeURIComponent('../../etc/passwd'))).toBe('passwd');
    expect(safeUploadName(encodeURIComponent('C:\\logs\\okta.ndjson'))).toBe('okta.ndjson');
  });

  it('neutralizes hidden, control and reserved characters and bad encodings', () => {
    expect(safeUploadName('..')).toBe('upload');
    expect(safeUploadName('.bashrc')).toBe('bashrc');
    expect(safeUploadName(encodeURIComponent('a\nb\u0000c<d>.log'))).toBe('a_b_c_d_.log');
    expect(safeUploadName('%E0%A4%A')).toBe('upload');
    expect(safeUploadName(undefined)).toBe('upload');
    expect(safeUploadName('x'.repeat(500)).length).toBe(120);
  });
});

describe('receiveUpload', () => {
  const temp = tempDir();
  let server: Server;
  let url = '';
  let target = '';
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    temp.cleanup();
  });

  async function start(dir: string, maxBytes: number): Promise<void> {
    target = dir;
    if (!server) {
      server = createServer(
        (request, response) => void receiveUpload(request, response, target, {}, maxBytes),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`;
    }
  }

  const post = (body: string) => fetch(url, { method: 'POST', headers: { 'X-File-Name': 'a.json' }, body });

  it('stores the body and answers with its path', async () => {
    await start(temp.file('uploads'), 16);
    const response = await post('{"a":1}');
    expect(response.status).toBe(200);
    const { path } = (await response.json()) as { path: string };
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}');
  });

  it('refuses a body over the limit and keeps no partial file', async () => {
    mkdirSync(temp.file('uploads-limited'));
    await start(temp.file('uploads-limited'), 16);
    const response = await post('x'.repeat(17));
    expect(response.status).toBe(413);
    expect(readdirSync(temp.file('uploads-limited'), { withFileTypes: true })).toHaveLength(0);
  });

  it('answers an unusable folder with an error instead of failing the server', async () => {
    const notAFolder = temp.file('plain-file');
    writeFileSync(notAFolder, 'x');
    await start(path.join(notAFolder, 'uploads'), 16);
    const response = await post('{}');
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/upload failed/);
    await start(temp.file('uploads'), 16);
    expect((await post('{}')).status).toBe(200);
  });
});
