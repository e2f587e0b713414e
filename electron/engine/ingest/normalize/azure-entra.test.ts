import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { dataset } from '../../../../test/support/paths.ts';
import type { JsonObject } from '../types.ts';
import { azureEntraNormalizer } from './azure-entra.ts';

const rows = fs
  .readFileSync(dataset('azure-ad-m365', 'otrf-goldensaml', 'AADAuditEvents.json'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as JsonObject);
const run = (value: JsonObject) =>
  azureEntraNormalizer.normalize({ value, text: '', encodingError: false, offset: 0, line: 1 });

describe('azure entra normalizer: Log Analytics AuditLogs (real OTRF Golden SAML rows)', () => {
  it('detects and normalizes all 4 rows, even where KQL overwrote Type', () => {
    expect(rows.length).toBe(4);
    for (const row of rows) {
      expect(azureEntraNormalizer.detect(row)).toBeGreaterThanOrEqual(0.9);
      expect(run(row).source).toBe('azure.entra');
    }
  });

  it('parses InitiatedBy / TargetResources JSON strings and modifiedProperties into changes', () => {
    expect(run(rows[0] ?? {})).toEqual({
      time: Date.parse('2021-08-02T13:29:25.983Z') * 1000,
      timeOriginal: '2021-08-02T13:29:25.983Z',
      source: 'azure.entra',
      action: 'Update application – Certificates and secrets management',
      category: 'iam',
      outcome: 'success',
      actor: {
        id: 'aead923d-498b-4f64-a66c-2af91447a8b6',
        name: 'pgustavo@simulandlabs.com',
        email: 'pgustavo@simulandlabs.com',
        type: 'user',
      },
      target: { type: 'Application', id: '11b49e19-2326-4be6-93cb-7f37439bbd81', name: 'SimuLandApp' },
      userAgent: 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.17763.1971',
      requestId: '10065ffb-8199-48bc-8ff5-912cb5b8295a',
      message: 'Update application – Certificates and secrets management',
      changes: [
        {
          field: 'KeyDescription',
          before: '[]',
          after:
            '["[KeyIdentifier=59eaeebc-8a6b-44a6-9f24-7d55e64420c9,KeyType=Password,KeyUsage=Verify,DisplayName=SimuLandCreds]"]',
        },
        { field: 'Included Updated Properties', after: 'KeyDescription' },
      ],
      sourceEventId: 'Directory_10065ffb-8199-48bc-8ff5-912cb5b8295a_AUMVX_13992832',
    });
  });

  it('unquotes JSON-string values of a permission grant', () => {
    const grant = run(rows[3] ?? {});
    expect(grant.action).toBe('Add delegated permission grant');
    expect(grant.target).toEqual({
      type: 'ServicePrincipal',
      id: '401dd906-ea4f-4d41-b762-7e936d222368',
      name: 'Microsoft Graph',
    });
    expect(grant.changes[0]).toEqual({
      field: 'DelegatedPermissionGrant.Scope',
      before: 'User.Read',
      after: 'User.Read Mail.ReadWrite',
    });
    expect(grant.changes).toHaveLength(7);
  });

  it('survives a malformed InitiatedBy string', () => {
    const event = run({ ...(rows[2] ?? {}), InitiatedBy: '{"user":', TargetResources: 'nope' });
    expect(event.actor).toEqual({ name: 'pgustavo@simulandlabs.com' });
    expect(event.target).toEqual({});
    expect(event.changes).toEqual([]);
  });
});

describe('azure entra normalizer: Graph directoryAudit', () => {
  // Shape from the Microsoft Graph directoryAudit resource documentation (no real sample in the datasets).
  const graph: JsonObject = {
    id: 'Directory_ce4e6a1e-6bd6-4d2c-9d43-4b45ce8f4fb2_LVJ6K_14306522',
    category: 'UserManagement',
    correlationId: 'ce4e6a1e-6bd6-4d2c-9d43-4b45ce8f4fb2',
    result: 'failure',
    resultReason: 'Insufficient privileges',
    activityDisplayName: 'Update user',
    activityDateTime: '2024-03-01T10:11:12.1234567Z',
    loggedByService: 'Core Directory',
    operationType: 'Update',
    initiatedBy: {
      app: null,
      user: {
        id: 'u-1',
        displayName: 'Alice',
        userPrincipalName: 'alice@contoso.com',
        ipAddress: '198.51.100.7',
      },
    },
    targetResources: [
      {
        id: 't-1',
        displayName: null,
        type: 'User',
        userPrincipalName: 'bob@contoso.com',
        modifiedProperties: [{ displayName: 'AccountEnabled', oldValue: '[true]', newValue: '[false]' }],
      },
    ],
    additionalDetails: [{ key: 'User-Agent', value: 'Mozilla/5.0' }],
  };

  it('maps the camelCase object', () => {
    expect(azureEntraNormalizer.detect(graph)).toBeGreaterThanOrEqual(0.9);
    expect(run(graph)).toEqual({
      time: Date.parse('2024-03-01T10:11:12.123Z') * 1000 + 456,
      timeOriginal: '2024-03-01T10:11:12.1234567Z',
      source: 'azure.entra',
      action: 'Update user',
      category: 'iam',
      outcome: 'failure',
      actor: { id: 'u-1', name: 'alice@contoso.com', email: 'alice@contoso.com', type: 'user' },
      target: { type: 'User', id: 't-1', name: 'bob@contoso.com' },
      ip: '198.51.100.7',
      userAgent: 'Mozilla/5.0',
      requestId: 'ce4e6a1e-6bd6-4d2c-9d43-4b45ce8f4fb2',
      message: 'Insufficient privileges',
      changes: [{ field: 'AccountEnabled', before: '[true]', after: '[false]' }],
      sourceEventId: 'Directory_ce4e6a1e-6bd6-4d2c-9d43-4b45ce8f4fb2_LVJ6K_14306522',
    });
  });

  it('app initiators', () => {
    const byApp = run({
      ...graph,
      initiatedBy: { app: { appId: 'a-1', displayName: 'Sync', servicePrincipalId: 'sp-1' } },
    });
    expect(byApp.actor).toEqual({ id: 'sp-1', name: 'Sync', type: 'app' });
  });
});
