// A file tail's start decompresses the gzip files logrotate made while no tail ran (see
// decompressed-copies.ts): only those that may hold unread lines, and it takes a while, so the
// path may be rotated meanwhile. decompressedCopies is wrapped to tell which copies it made, and
// to rotate the path exactly then. Real Okta lines: nothing may be lost, nothing read twice.
import {
  appendFileSync,
  copyFileSync,
  readFileSync,
  renameSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, expect, it, vi } from 'vitest';
import { dataset } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { CaseSession } from '../case-session.ts';
import { batchIds, idsOf, linesOf } from '../../../test/support/case-ids.ts';
import { FileTail } from './tail-file.ts';

const meanwhile: { rotate?: () => void; made: string[][] } = { made: [] };
vi.mock('./decompressed-copies.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('./decompressed-copies.ts')>();
  return {
    ...original,
    decompressedCopies: async (...args: Parameters<typeof original.decompressedCopies>) => {
      const made = await original.decompressedCopies(...args);
      meanwhile.made.push(made.copies.map((copy) => copy.name));
      const rotate = meanwhile.rotate;
      meanwhile.rotate = undefined;
      rotate?.();
      return made;
    },
  };
});

const temp = tempDir();
afterAll(() => temp.cleanup());

const okta = linesOf(dataset('okta-system-log', 'cribl-okta-rest', 'okta_system_log.part1.ndjson'));
const put = (file: string, from: number, to: number): void =>
  appendFileSync(file, okta.slice(from, to).join(''));

it('reads on in the file it stopped in when the path is rotated while the start decompresses', async () => {
  const log = temp.file('okta-race.ndjson');
  put(log, 0, 10);
  const session = await CaseSession.open(temp.file('okta-race.auditscope'));
  const first = await FileTail.start(session, log, { pollMs: 0 });
  await first.step();
  await first.stop();
  // While stopped: copytruncate with compress (the copy app.log.1.gz), lines written after it;
  // then, while the next tail's start decompresses, the path rotated again (app.log.1.gz to
  // app.log.2.gz, app.log to app.log.1, a new app.log).
  put(log, 10, 15);
  writeFileSync(`${log}.1.gz`, gzipSync(readFileSync(log)));
  writeFileSync(log, okta.slice(15, 20).join(''));
  meanwhile.rotate = () => {
    renameSync(`${log}.1.gz`, `${log}.2.gz`);
    renameSync(log, `${log}.1`);
    put(log, 20, 25);
  };
  const again = await FileTail.start(session, log, { pollMs: 0 });
  await again.step();
  expect(await again.stop()).toMatchObject({ events: 15, duplicates: 0 });
  await session.close();

  expect(idsOf(session.path).ids).toEqual(
    await batchIds(temp, 'okta-race.ndjson', okta.slice(0, 25).join('')),
  );
}, 60_000);

it('decompresses no old archive when the file it stopped in is beside the path, copied and truncated', async () => {
  const log = temp.file('okta-needless.ndjson');
  // A year-old archive, read long ago (or never followed): nothing to read in it.
  writeFileSync(`${log}.5.gz`, gzipSync(okta.slice(40, 45).join('')));
  utimesSync(`${log}.5.gz`, new Date('2025-01-01'), new Date('2025-01-01'));
  put(log, 0, 10);
  const session = await CaseSession.open(temp.file('okta-needless.auditscope'));
  const first = await FileTail.start(session, log, { pollMs: 0 });
  await first.step();
  await first.stop();
  put(log, 10, 15);
  copyFileSync(log, `${log}.1`);
  truncateSync(log, 0);
  put(log, 15, 20);
  meanwhile.made = [];
  const again = await FileTail.start(session, log, { pollMs: 0 });
  await again.step();
  expect(await again.stop()).toMatchObject({ events: 10, duplicates: 0, truncations: 1 });
  await session.close();
  expect(meanwhile.made).toEqual([[]]);
}, 60_000);
