import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { dataset } from '../../../../test/support/paths.ts';
import type { JsonObject } from '../types.ts';
import { githubNormalizer } from './github.ts';

const records = fs
  .readFileSync(dataset('github-audit', 'azure-sentinel-sample', 'Github_sample_logs.json'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as JsonObject);
const byId = (id: string): JsonObject => records.find((r) => r['_document_id'] === id) ?? {};
const run = (value: JsonObject) =>
  githubNormalizer.normalize({ value, text: '', encodingError: false, offset: 0, line: 1 });

/** The CSV export has the same keys with every value a string. */
function asCsvRow(record: JsonObject): JsonObject {
  const row = Object.create(null) as JsonObject;
  for (const [k, v] of Object.entries(record)) row[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return row;
}

describe('github normalizer (real Azure Sentinel sample)', () => {
  it('detects and normalizes all 63 events', () => {
    expect(records.length).toBe(63);
    for (const record of records) {
      expect(githubNormalizer.detect(record)).toBeGreaterThanOrEqual(0.5);
      expect(run(record).source).toBe('github');
    }
  });

  it('maps a failed login exactly', () => {
    expect(run(byId('9VrWHdPhUsQ1-fSB7EyXvQ'))).toEqual({
      time: 1710349392604000,
      timeOriginal: '1710349392604',
      source: 'github',
      action: 'user.failed_login',
      category: 'authentication',
      outcome: 'failure',
      actor: { id: '13924979', name: 'siteshjha11', type: 'user' },
      target: { type: 'business', id: '134172', name: 'accenturelabs' },
      userAgent:
        'Mozilla/5.0 (iPad CPU OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/122.0.6261.89 Mobile/15E148 Safari/604.1',
      changes: [],
      sourceEventId: '9VrWHdPhUsQ1-fSB7EyXvQ',
    });
  });

  it('targets: repo, org string, empty org array; challenge failure', () => {
    expect(run(byId('NbHGEKGT4AWJa8hPJBuLPg'))).toMatchObject({
      action: 'repo.create',
      category: 'data_change',
      outcome: 'success',
      target: { type: 'repository', id: '775438745', name: 'siteshjha11/Azure-Sentinel' },
    });
    expect(run(byId('V16AKzoq0VcSeiD7aqSNCQ'))).toMatchObject({
      action: 'org.add_member',
      category: 'iam',
      target: { type: 'organization', id: '163237012', name: 'x-sentinellabs' },
    });
    expect(run(byId('ClAUpdEf0gVNYMclg4Tfpw')).target).toEqual({
      type: 'user',
      id: '13924979',
      name: 'siteshjha11',
    });
    expect(run(byId('p-6R121I85MXmIKqcPTYaA')).outcome).toBe('failure');
    expect(run(byId('gBL22EYZHlx5V00Lmct03w')).actor).toEqual({});
  });

  it('works on CSV-export rows (all strings) and picks up actor_ip', () => {
    const row = asCsvRow({ ...byId('FpmfFy7BlV_BRVzeuBc3Ww'), actor_ip: '203.0.113.9' });
    expect(githubNormalizer.detect(row)).toBeGreaterThanOrEqual(0.5);
    expect(run(row)).toMatchObject({
      time: 1711431195806000,
      action: 'user.login',
      category: 'authentication',
      actor: { id: '13924979', name: 'siteshjha11', type: 'user' },
      ip: '203.0.113.9',
      sourceEventId: 'FpmfFy7BlV_BRVzeuBc3Ww',
    });
  });

  it('does not claim generic records that merely have an action', () => {
    expect(githubNormalizer.detect({ action: 'login', created_at: '2024-01-01' })).toBe(0);
    expect(
      githubNormalizer.detect({ action: 'user.login', created_at: '2024-01-01', actor: 'a' }),
    ).toBeLessThan(0.5);
  });
});
