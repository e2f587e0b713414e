import { describe, expect, it } from 'vitest';
import { activityKind, EXPORT_VERBS, EXPORT_WORDS } from './activity-kind.ts';

describe('activityKind', () => {
  it.each([
    ['ConsoleLogin', 'authentication', 'success', 'login'],
    ['ConsoleLogin', 'authentication', 'failure', 'login-failed'],
    ['user.session.start', 'authentication', 'failure', 'login-failed'],
    ['user.session.end', 'authentication', 'success', 'logout'],
    ['user.authentication.sso', 'authentication', 'success', 'login'],
    ['user.session.logout', 'authentication', 'success', 'logout'],
    ['Sign out', 'authentication', 'success', 'logout'],
    ['GetObject', 'data_access', 'success', 'view'],
    ['ListBuckets', 'data_access', 'success', 'view'],
    ['CreateAccessKey', 'iam', 'success', 'create'],
    ['user.lifecycle.create', 'iam', 'success', 'create'],
    ['PutBucketPolicy', 'configuration', 'success', 'modify'],
    ['UpdateTrail', 'configuration', 'success', 'modify'],
    ['DeleteTrail', 'configuration', 'success', 'delete'],
    ['repo.destroy', 'data_change', 'success', 'delete'],
    ['ModifySnapshotAttribute', 'data_change', 'success', 'modify'],
    ['ExportImage', 'data_access', 'success', 'export'],
    ['repo.download_zip', 'data_access', 'success', 'export'],
    ['git.clone', 'data_access', 'success', 'other'],
    ['SYSCALL', 'system', 'success', 'other'],
  ])('%s (%s, %s) is %s', (action, category, outcome, kind) => {
    expect(activityKind(action, category, outcome)).toBe(kind);
  });
});

describe('EXPORT_VERBS', () => {
  it('every export word contains one (the SQL pre-filter of kind:export relies on it)', () => {
    for (const word of EXPORT_WORDS.split(' '))
      expect(
        EXPORT_VERBS.some((v) => word.includes(v)),
        word,
      ).toBe(true);
  });
});
