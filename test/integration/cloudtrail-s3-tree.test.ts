// CloudTrail as S3 delivers it: an AWSLogs/ tree of gzipped {"Records":[…]} documents, and
// overlapping exports of the same trail.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { dataset } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';

const STRATUS = dataset('aws-cloudtrail', 'stratus-red-team-detonation-logs');
const FILES = [
  'aws.execution.ec2-user-data.json',
  'aws.credential-access.ec2-steal-instance-credentials.json',
];

describe('CloudTrail S3 delivery', () => {
  const temp = tempDir();
  afterAll(() => temp.cleanup());

  it('imports an AWSLogs/ tree of .json.gz files and counts overlapping exports exactly', async () => {
    const records = FILES.map(
      (file) => JSON.parse(readFileSync(path.join(STRATUS, file), 'utf8')) as unknown[],
    );
    const tree = path.join(
      temp.dir,
      'AWSLogs',
      '123456789012',
      'CloudTrail',
      'us-east-1',
      '2024',
      '08',
      '01',
    );
    mkdirSync(tree, { recursive: true });
    records.forEach((list, i) =>
      writeFileSync(
        path.join(tree, `123456789012_CloudTrail_us-east-1_20240801T13${i}0Z_part${i}.json.gz`),
        gzipSync(JSON.stringify({ Records: list })),
      ),
    );
    const session = await CaseSession.open(temp.file('s3.auditscope'));
    try {
      const summary = await session.import([path.join(temp.dir, 'AWSLogs')]);
      expect(summary.files.map((f) => [f.format, f.container, f.status])).toEqual([
        ['aws.cloudtrail', 'json-wrapper', 'complete'],
        ['aws.cloudtrail', 'json-wrapper', 'complete'],
      ]);
      expect(summary.totals).toMatchObject({ accepted: 35 + 45, duplicates: 0, rejected: 0 });

      // Two exports of the same trail that overlap by 10 events.
      const all = records.flat();
      const first = temp.file('export-a.json');
      const second = temp.file('export-b.json');
      writeFileSync(first, JSON.stringify(all.slice(0, 50)));
      writeFileSync(second, JSON.stringify({ Records: all.slice(40) }, null, 2));
      const fresh = await CaseSession.open(temp.file('overlap.auditscope'));
      try {
        expect((await fresh.import([first])).totals).toMatchObject({ accepted: 50, duplicates: 0 });
        expect((await fresh.import([second])).totals).toMatchObject({
          accepted: all.length - 50,
          duplicates: 10,
        });
        expect((await fresh.read.stats()).events).toBe(80);
      } finally {
        await fresh.close();
      }
    } finally {
      await session.close();
    }
  });
});
