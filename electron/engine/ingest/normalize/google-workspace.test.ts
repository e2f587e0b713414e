import { describe, it, expect } from 'vitest';
import type { JsonObject } from '../types.ts';
import { googleWorkspaceNormalizer } from './google-workspace.ts';

/*
 * There is no real Google Workspace sample in the datasets. These fixtures follow the Activity
 * resource documented for the Admin SDK Reports API `activities.list` (kind, id{time,
 * uniqueQualifier, applicationName, customerId}, actor{callerType,email,profileId}, ipAddress,
 * events[{type,name,parameters[{name,value|multiValue|intValue|boolValue}]}]) and the documented
 * admin/login event names; the values are invented.
 */
const adminActivity: JsonObject = {
  kind: 'admin#reports#activity',
  id: {
    time: '2024-05-02T08:15:30.123Z',
    uniqueQualifier: '-4361892716345170311',
    applicationName: 'admin',
    customerId: 'C01abcd23',
  },
  etag: '"abc/def"',
  actor: { callerType: 'USER', email: 'admin@example.com', profileId: '104857600000000000001' },
  ownerDomain: 'example.com',
  ipAddress: '203.0.113.10',
  events: [
    {
      type: 'APPLICATION_SETTINGS',
      name: 'CHANGE_APPLICATION_SETTING',
      parameters: [
        { name: 'APPLICATION_NAME', value: 'Drive and Docs' },
        { name: 'SETTING_NAME', value: 'Sharing outside of domain' },
        { name: 'OLD_VALUE', value: 'false' },
        { name: 'NEW_VALUE', value: 'true' },
        { name: 'ORG_UNIT_NAME', value: 'Example' },
      ],
    },
  ],
};

const loginFailure: JsonObject = {
  kind: 'admin#reports#activity',
  id: {
    time: '2024-05-02T09:00:00.000Z',
    uniqueQualifier: '123',
    applicationName: 'login',
    customerId: 'C01abcd23',
  },
  actor: { callerType: 'USER', email: 'bob@example.com', profileId: '2' },
  ipAddress: '198.51.100.23',
  events: [
    {
      type: 'login',
      name: 'login_failure',
      parameters: [
        { name: 'login_type', value: 'google_password' },
        { name: 'login_challenge_method', multiValue: ['password'] },
        { name: 'is_suspicious', boolValue: false },
      ],
    },
  ],
};

const run = (value: JsonObject) =>
  googleWorkspaceNormalizer.normalize({ value, text: '', encodingError: false, offset: 0, line: 1 });

describe('google workspace normalizer (fixture from the Reports API shape)', () => {
  it('detects activities, with or without kind', () => {
    expect(googleWorkspaceNormalizer.detect(adminActivity)).toBe(0.99);
    const { kind: _kind, ...noKind } = adminActivity;
    expect(googleWorkspaceNormalizer.detect(noKind)).toBeGreaterThanOrEqual(0.5);
    expect(googleWorkspaceNormalizer.detect({ id: 'x', events: [] })).toBe(0);
  });

  it('maps an admin setting change with before/after', () => {
    expect(run(adminActivity)).toEqual({
      time: Date.parse('2024-05-02T08:15:30.123Z') * 1000,
      timeOriginal: '2024-05-02T08:15:30.123Z',
      source: 'google.workspace',
      action: 'CHANGE_APPLICATION_SETTING',
      category: 'configuration',
      outcome: 'success',
      actor: {
        id: '104857600000000000001',
        name: 'admin@example.com',
        email: 'admin@example.com',
        type: 'USER',
      },
      target: { type: 'application', name: 'Drive and Docs' },
      ip: '203.0.113.10',
      message: 'admin / APPLICATION_SETTINGS / CHANGE_APPLICATION_SETTING',
      changes: [{ field: 'Sharing outside of domain', before: 'false', after: 'true' }],
      sourceEventId: 'admin/2024-05-02T08:15:30.123Z/-4361892716345170311',
    });
  });

  it('maps a login failure', () => {
    expect(run(loginFailure)).toMatchObject({
      action: 'login_failure',
      category: 'authentication',
      outcome: 'failure',
      actor: { name: 'bob@example.com' },
      ip: '198.51.100.23',
      changes: [],
    });
  });

  it('user targets from USER_EMAIL; iam category', () => {
    const created = run({
      ...adminActivity,
      events: [
        {
          type: 'USER_SETTINGS',
          name: 'CREATE_USER',
          parameters: [{ name: 'USER_EMAIL', value: 'new@example.com' }],
        },
      ],
    });
    expect([created.category, created.target]).toEqual(['iam', { type: 'user', name: 'new@example.com' }]);
  });

  it('rejects an activity without id.time', () => {
    expect(() => run({ ...adminActivity, id: { uniqueQualifier: '1' } })).toThrow(/no usable timestamp/);
  });
});
