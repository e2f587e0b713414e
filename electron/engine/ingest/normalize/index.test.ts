import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { DATASETS } from '../../../../test/support/paths.ts';
import type { FormatId, JsonObject } from '../types.ts';
import { NORMALIZERS, normalizerFor } from './index.ts';
import { csvRows } from '../../../../test/support/csv-rows.ts';

function datasetRecords(file: string): JsonObject[] {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.csv')) return csvRows(text);
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as JsonObject[];
  if (/^\{\s*"Records"/.test(trimmed)) return (JSON.parse(trimmed) as { Records: JsonObject[] }).Records;
  return trimmed
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as JsonObject);
}

/** Which normalizer must claim each dataset folder. */
const EXPECTED: ReadonlyArray<readonly [string, FormatId]> = [
  ['aws-cloudtrail', 'aws.cloudtrail'],
  ['okta-system-log', 'okta'],
  ['github-audit', 'github'],
  ['kubernetes-audit', 'k8s.audit'],
  ['azure-ad-m365', 'azure.entra'],
  ['windows-eventlog', 'generic'],
  // auoms rows in a Log Analytics Syslog table: only the auditd normalizer (once registered) may claim them.
  ['linux-auditd', 'linux.auditd'],
];

const files = fs
  .readdirSync(DATASETS, { recursive: true })
  .map(String)
  .filter((f) => /\.(json|ndjson|csv)$/.test(f))
  .sort();

describe('NORMALIZERS', () => {
  it('lists every format once, generic last (auditd is registered separately)', () => {
    expect(NORMALIZERS.map((n) => n.format).filter((f) => f !== 'linux.auditd')).toEqual([
      'aws.cloudtrail',
      'okta',
      'github',
      'k8s.audit',
      'azure.entra',
      'google.workspace',
      'generic',
    ]);
  });

  it('normalizerFor finds by format id', () => {
    expect(normalizerFor('okta')?.label).toBe('Okta System Log');
    expect(normalizerFor('generic')).toBe(NORMALIZERS[NORMALIZERS.length - 1]);
  });

  it('sees all the real dataset files', () => {
    expect(files.length).toBe(50);
  });
});

describe('cross-detection over every real record', () => {
  for (const file of files) {
    const expected = EXPECTED.find(([folder]) => file.startsWith(`${folder}${path.sep}`));
    it(`${file}`, () => {
      expect(expected).toBeDefined();
      const owner = expected?.[1];
      const records = datasetRecords(path.join(DATASETS, file));
      expect(records.length).toBeGreaterThan(0);
      for (const record of records) {
        for (const normalizer of NORMALIZERS) {
          const score = normalizer.detect(record);
          if (normalizer.format === 'generic') expect(score).toBe(0.1);
          else if (normalizer.format === owner) expect(score).toBeGreaterThanOrEqual(0.5);
          else expect(score, `${normalizer.format} on ${file}`).toBeLessThan(0.5);
        }
        if (owner !== undefined && normalizerFor(owner) !== undefined) {
          const best = [...NORMALIZERS].sort((a, b) => b.detect(record) - a.detect(record))[0];
          expect(best?.format).toBe(owner);
          expect(() =>
            best?.normalize({ value: record, text: '', encodingError: false, offset: 0, line: 1 }),
          ).not.toThrow();
        }
      }
    });
  }
});
