import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataset } from '../../../../test/support/paths.ts';
import type { ContainerSpec } from './container-types.ts';
import { sniffContainer } from './sniff.ts';
import { readAll, records, rejects } from './test-support.ts';

interface Case {
  path: string[];
  container: ContainerSpec;
  count: number;
  first: { offset: number; line: number };
  last: { line: number };
}

const CASES: Case[] = [
  {
    path: ['aws-cloudtrail', 'stratus-red-team-detonation-logs', 'aws.execution.ec2-user-data.json'],
    container: { kind: 'json-array' },
    count: 35,
    first: { offset: 5, line: 2 },
    last: { line: 1375 },
  },
  {
    path: [
      'aws-cloudtrail',
      'datadog-forwarder-export',
      'aws.credential-access.secretsmanager-retrieve-secrets.json',
    ],
    container: { kind: 'json-wrapper', wrapperKey: 'Records' },
    count: 10,
    first: { offset: 21, line: 3 },
    last: { line: 759 },
  },
  {
    path: ['aws-cloudtrail', 'otrf', 'AWS_S3_HoneyBucketLogs.part1.csv'],
    container: { kind: 'csv', delimiter: ',' },
    count: 151,
    first: { offset: 153, line: 2 },
    last: { line: 152 },
  },
  {
    path: ['github-audit', 'azure-sentinel-sample', 'Github_sample_logs.json'],
    container: { kind: 'ndjson' },
    count: 63,
    first: { offset: 0, line: 1 },
    last: { line: 63 },
  },
  {
    path: ['okta-system-log', 'cribl-okta-rest', 'okta_system_log.part1.ndjson'],
    container: { kind: 'ndjson' },
    count: 50,
    first: { offset: 0, line: 1 },
    last: { line: 50 },
  },
  {
    path: ['linux-auditd', 'go-libaudit', 'audit-ubuntu14.log'],
    container: { kind: 'auditd' },
    count: 1,
    first: { offset: 0, line: 1 },
    last: { line: 1 },
  },
  {
    path: ['linux-auditd', 'go-libaudit', 'normal.log'],
    container: { kind: 'auditd' },
    count: 17,
    first: { offset: 0, line: 1 },
    last: { line: 17 },
  },
];

describe('real datasets', () => {
  for (const c of CASES) {
    it(`${c.path.join('/')}: ${c.count} records, text is the exact bytes at offset`, async () => {
      const bytes = readFileSync(dataset(...c.path));
      expect(sniffContainer(bytes.subarray(0, 64 * 1024))).toEqual(c.container);
      for (const chunkSize of [bytes.length, 4096, 333]) {
        const cuts = Array.from(
          { length: Math.ceil(bytes.length / chunkSize) - 1 },
          (_, i) => (i + 1) * chunkSize,
        );
        const items = await readAll(bytes, c.container, undefined, cuts);
        expect(rejects(items)).toEqual([]);
        const found = records(items);
        expect(found).toHaveLength(c.count);
        expect(found[0]).toMatchObject(c.first);
        expect(found.at(-1)?.line).toBe(c.last.line);
        for (const [index, record] of found.entries()) {
          const item = items[index];
          const length = item?.kind === 'record' ? item.byteLength : -1;
          expect(record.encodingError).toBe(false);
          expect(
            Buffer.from(record.text, 'utf8').equals(bytes.subarray(record.offset, record.offset + length)),
          ).toBe(true);
          const lineOfOffset = bytes
            .subarray(0, record.offset)
            .toString('latin1')
            .split(/\r\n|\r|\n/).length;
          expect(record.line).toBe(lineOfOffset);
        }
      }
    });
  }

  it('CloudTrail JSON array elements parse to the original events', async () => {
    const bytes = readFileSync(dataset(...(CASES[0] as Case).path));
    const expected = JSON.parse(bytes.toString('utf8')) as unknown[];
    const found = records(await readAll(bytes, { kind: 'json-array' }));
    expect(found.map((r) => r.value)).toEqual(expected);
  });

  it('the honeybucket CSV maps header names to cells', async () => {
    const bytes = readFileSync(dataset(...(CASES[2] as Case).path));
    const [first] = records(await readAll(bytes, { kind: 'csv', delimiter: ',' }));
    expect(Object.keys(first?.value ?? {})).toContain('Event DateTime');
    expect(Object.keys(first?.value ?? {})).toContain('Source IP');
    expect(first?.document).toBe(first?.value);
  });
});
