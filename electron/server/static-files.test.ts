import { writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-case.ts';
import { resolveStaticPath, sendStaticFile } from './static-files.ts';

const root = path.resolve('/srv/app');

describe('resolveStaticPath', () => {
  it('maps paths under the root, / to index.html', () => {
    expect(resolveStaticPath(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(root, '/?token=x')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/index-abc.js')).toBe(path.join(root, 'assets/index-abc.js'));
  });

  it('refuses traversal however it is spelled', () => {
    for (const url of [
      '/../etc/passwd',
      '/assets/../../etc/passwd',
      '/%2e%2e/etc/passwd',
      '/%2e%2e%2fetc%2fpasswd',
      '/..%5c..%5cwindows',
      '/assets%5c..%5c..%5cx',
      '/a%00.js',
      '/%zz',
    ]) {
      expect(resolveStaticPath(root, url), url).toBeUndefined();
    }
  });
});

describe('sendStaticFile', () => {
  it('answers 404 for a path through a file (ENOTDIR) instead of throwing', () => {
    const temp = tempDir();
    writeFileSync(temp.file('index.html'), '<p>x</p>');
    const sent: { status?: number } = {};
    const response = {
      writeHead: (status: number) => {
        sent.status = status;
        return response;
      },
      end: () => response,
    } as unknown as ServerResponse;
    expect(() => sendStaticFile(temp.dir, '/index.html/x', response, {})).not.toThrow();
    expect(sent.status).toBe(404);
    temp.cleanup();
  });
});
