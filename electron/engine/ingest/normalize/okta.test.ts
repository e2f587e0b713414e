import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { dataset } from '../../../../test/support/paths.ts';
import type { JsonObject } from '../types.ts';
import { oktaNormalizer } from './okta.ts';

const records = fs
  .readFileSync(dataset('okta-system-log', 'cribl-okta-rest', 'okta_system_log.part1.ndjson'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as JsonObject);
const run = (value: JsonObject) =>
  oktaNormalizer.normalize({ value, text: '', encodingError: false, offset: 0, line: 1 });

describe('okta normalizer (real Cribl sample)', () => {
  it('detects and normalizes all 50 events', () => {
    expect(records.length).toBe(50);
    for (const record of records) {
      expect(oktaNormalizer.detect(record)).toBeGreaterThanOrEqual(0.9);
      expect(run(record).source).toBe('okta');
    }
  });

  it('maps a user-initiated event exactly', () => {
    expect(run(records[0] ?? {})).toEqual({
      time: Date.parse('2025-07-21T14:48:24.597Z') * 1000,
      timeOriginal: '2025-07-21T14:48:24.597Z',
      source: 'okta',
      action: 'system.brand.create',
      category: 'configuration',
      outcome: 'success',
      actor: {
        id: '00uunrjAXkpQdiZqQ693',
        name: 'freetrialorgcreator@okta.com',
        email: 'freetrialorgcreator@okta.com',
        type: 'User',
      },
      target: { type: 'Brand', id: 'bndtfrct1tsQhULFV697', name: 'bndtfrct1tsQhULFV697' },
      ip: '52.207.21.207',
      userAgent: 'Jersey/3.1.8 (HttpUrlConnection 21.0.6)',
      sessionId: 'trsOEr_0JTLR-yPR5cyOPY-Zg',
      requestId: 'f348834b13c1adc94c589222e81d86f5,f348834',
      severity: 'INFO',
      message: 'Brand was created',
      changes: [],
      sourceEventId: 'c108c4cc-6641-11f0-b8ab-e7cc1dd1a43e',
    });
  });

  it('system events: no client IP, no placeholder request id', () => {
    const consent = run(records.find((r) => r['uuid'] === 'c125c2b8-6641-11f0-b8ab-e7cc1dd1a43e') ?? {});
    expect(consent).toMatchObject({
      action: 'app.oauth2.admin.consent.grant',
      category: 'iam',
      actor: { id: 'sprtfrct1fCoETaBc697', name: 'system@okta.com', type: 'SystemPrincipal' },
      target: { type: 'ConsentGrant', id: 'oag2wvwx9gtrxO9BK697', name: 'okta.admin.read' },
      message: 'Administrator consent granted.',
    });
    expect(consent.ip).toBeUndefined();
    expect(consent.requestId).toBeUndefined();
    expect(run(records.find((r) => r['eventType'] === 'user.lifecycle.create') ?? {}).category).toBe('iam');
  });

  it('falls back to request.ipChain and maps FAILURE / DENY', () => {
    const base = records[0] ?? {};
    const failed = run({ ...base, client: { ipAddress: null }, outcome: { result: 'FAILURE' } });
    expect([failed.ip, failed.outcome]).toEqual(['52.207.21.207', 'failure']);
    expect(run({ ...base, outcome: { result: 'DENY' } }).outcome).toBe('failure');
    expect(run({ ...base, outcome: { result: 'ALLOW' } }).outcome).toBe('success');
    expect(run({ ...base, outcome: { result: 'CHALLENGE' } }).outcome).toBe('unknown');
  });

  it('rejects events without published', () => {
    expect(() => run({ eventType: 'user.session.start', published: 'soon' })).toThrow(/no usable timestamp/);
  });
});
