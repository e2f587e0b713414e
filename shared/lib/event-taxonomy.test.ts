import { describe, it, expect } from 'vitest';
import {
  actionTokens,
  categoryFromAction,
  categoryFromVerb,
  isReadAction,
  outcomeFromActionName,
  outcomeFromHttpStatus,
  outcomeFromText,
} from './event-taxonomy.ts';

describe('actionTokens', () => {
  it('splits camelCase, acronyms, dots, underscores and version suffixes', () => {
    expect(actionTokens('CreateAccessKey')).toEqual(['create', 'access', 'key']);
    expect(actionTokens('user.failed_login')).toEqual(['user', 'failed', 'login']);
    expect(actionTokens('AddPermission20150331v2')).toEqual(['add', 'permission', 'v']);
    expect(actionTokens('GetMFADevice')).toEqual(['get', 'mfa', 'device']);
    expect(actionTokens('create pods/exec')).toEqual(['create', 'pods', 'exec']);
  });
});

describe('categoryFromAction', () => {
  it.each([
    ['ConsoleLogin', 'authentication'],
    ['user.login', 'authentication'],
    ['user.failed_login', 'authentication'],
    ['user.two_factor_challenge_failure', 'authentication'],
    ['user.session.start', 'authentication'],
    ['GetSessionToken', 'authentication'],
    ['Sign-in activity', 'authentication'],
    ['application.policy.sign_on.update', 'iam'],
    ['CreateUser', 'iam'],
    ['CreateAccessKey', 'iam'],
    ['AttachRolePolicy', 'iam'],
    ['personal_access_token.create', 'iam'],
    ['org.add_member', 'iam'],
    ['user.lifecycle.create', 'iam'],
    ['Add delegated permission grant', 'iam'],
    ['DescribeInstances', 'data_access'],
    ['ListObjects', 'data_access'],
    ['GetSecretValue', 'data_access'],
    ['user.audit_log_export', 'data_access'],
    ['DeleteTrail', 'configuration'],
    ['PutEventSelectors', 'configuration'],
    ['StopLogging', 'configuration'],
    ['repo.change_merge_setting', 'configuration'],
    ['zone.create', 'configuration'],
    ['AuthorizeSecurityGroupIngress', 'configuration'],
    ['DeleteResolverQueryLogConfig', 'configuration'],
    ['SendCommand', 'system'],
    ['repo.create', 'data_change'],
    ['PutObject', 'data_change'],
    ['RunInstances', 'data_change'],
    ['network connection detected', 'network'],
    ['process exited', 'system'],
    ['4689', 'other'],
    ['', 'other'],
  ] as const)('%s → %s', (action, category) => {
    expect(categoryFromAction(action)).toBe(category);
  });

  it('categoryFromVerb combines a verb with the object kind', () => {
    expect(categoryFromVerb('create', 'clusterroles')).toBe('iam');
    expect(categoryFromVerb('get', 'pods')).toBe('data_access');
    expect(categoryFromVerb('create', 'configmaps')).toBe('configuration');
    expect(categoryFromVerb('delete', 'namespaces')).toBe('data_change');
  });

  it('isReadAction', () => {
    expect(isReadAction('DescribeInstances')).toBe(true);
    expect(isReadAction('CreateUser')).toBe(false);
  });
});

describe('outcomes', () => {
  it.each([
    ['SUCCESS', 'success'],
    ['ALLOW', 'success'],
    ['success', 'success'],
    [true, 'success'],
    ['FAILURE', 'failure'],
    ['DENY', 'failure'],
    ['Failed', 'failure'],
    [' denied ', 'failure'],
    ['timeout', 'failure'],
    [false, 'failure'],
    ['CHALLENGE', 'unknown'],
    ['SKIPPED', 'unknown'],
    [null, 'unknown'],
    [42, 'unknown'],
  ] as const)('outcomeFromText(%j) → %s', (value, outcome) => {
    expect(outcomeFromText(value)).toBe(outcome);
  });

  it('outcomeFromHttpStatus', () => {
    expect(outcomeFromHttpStatus(101)).toBe('success');
    expect(outcomeFromHttpStatus(201)).toBe('success');
    expect(outcomeFromHttpStatus('403')).toBe('failure');
    expect(outcomeFromHttpStatus(500)).toBe('failure');
    expect(outcomeFromHttpStatus(undefined)).toBe('unknown');
    expect(outcomeFromHttpStatus(42)).toBe('unknown');
  });

  it('outcomeFromActionName', () => {
    expect(outcomeFromActionName('user.failed_login')).toBe('failure');
    expect(outcomeFromActionName('user.two_factor_challenge_failure')).toBe('failure');
    expect(outcomeFromActionName('user.login')).toBeUndefined();
  });
});
