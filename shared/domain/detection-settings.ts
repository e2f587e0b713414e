import { z } from 'zod';
import type { AlertRule } from './alert.ts';

const MINUTE = 60_000_000;
const HOUR = 60 * MINUTE;

/**
 * The thresholds of the built-in rules and the dashboard, kept with the case (the numbers an
 * alert was raised with are part of the evidence). Defaults are the usual starting points.
 */
export const DetectionSettings = z.object({
  /** Suspicious IP: this many failed sign-ins from one IP … */
  ipFailures: z.number().int().min(1).max(100_000),
  /** … within this many minutes. */
  ipFailuresMinutes: z.number().int().min(1).max(100_000),
  /** Targeted account: more than this many failed sign-ins of one account … */
  accountFailuresAbove: z.number().int().min(0).max(100_000),
  accountFailuresHours: z.number().int().min(1).max(10_000),
  /** Spraying: one IP failing against this many distinct accounts … */
  sprayAccounts: z.number().int().min(2).max(100_000),
  sprayHours: z.number().int().min(1).max(10_000),
  /** Bulk export: one actor, this many exports or downloads … */
  exportCount: z.number().int().min(1).max(100_000),
  exportMinutes: z.number().int().min(1).max(100_000),
  /** Working hours, in the zone the workspace shows times in; activity outside them is flagged. */
  workStart: z.number().int().min(0).max(23),
  workEnd: z.number().int().min(0).max(24),
});
export type DetectionSettings = z.infer<typeof DetectionSettings>;

export const DEFAULT_DETECTION_SETTINGS: DetectionSettings = {
  ipFailures: 5,
  ipFailuresMinutes: 60,
  accountFailuresAbove: 5,
  accountFailuresHours: 24,
  sprayAccounts: 3,
  sprayHours: 24,
  exportCount: 10,
  exportMinutes: 60,
  workStart: 6,
  workEnd: 22,
};

/** Failed sign-ins across sources (see shared/lib/activity-kind.ts for what counts). */
const FAILED_SIGN_IN = 'kind:login-failed';

// Searches in the search box's syntax. A quoted value is compared whole (no wildcards), so
// patterns that span words join them with `*` instead of spaces.

/**
 * Privilege changes: roles and policies granted or changed, admins and members added, in the
 * vocabularies of the supported sources (CloudTrail IAM, Okta, GitHub, Entra ID, Google
 * Workspace, Kubernetes RBAC).
 */
export const PRIVILEGE_CHANGE_SEARCH = [
  'action:iam:Attach*Policy',
  'action:iam:Put*Policy',
  'action:iam:CreatePolicyVersion',
  'action:iam:SetDefaultPolicyVersion',
  'action:iam:AddUserToGroup',
  'action:iam:UpdateAssumeRolePolicy',
  'action:*privilege.grant',
  'action:group.user_membership.add',
  'action:org.update_member',
  'action:business.add_admin',
  'action:team.promote_maintainer',
  'action:"Add member to role"',
  'action:"Add eligible member to role"',
  'action:Add*app*role*assignment*',
  'action:"Add delegated permission grant"',
  'action:ASSIGN_ROLE',
  'action:GRANT_ADMIN_PRIVILEGE',
  'action:*rolebindings',
  'action:"patch clusterroles"',
  'action:"patch roles"',
].join(' OR ');

export const LOCKOUT_SEARCH = [
  'action:user.account.lock*',
  'action:*lockout*',
  'action:*locked*',
  'action:ACCOUNT_DISABLED*',
].join(' OR ');

export const MFA_CHANGE_SEARCH = [
  'action:*mfa.factor*',
  'action:two_factor_authentication.*',
  'action:iam:*MFADevice',
  'action:*security*info*',
  'action:*Strong*Authentication*',
  'action:2sv_*',
].join(' OR ');

export const API_KEY_SEARCH = [
  'action:iam:CreateAccessKey',
  'action:iam:DeleteAccessKey',
  'action:iam:UpdateAccessKey',
  'action:system.api_token.*',
  'action:personal_access_token.create',
  'action:personal_access_token.destroy',
  'action:public_key.create',
  'action:public_key.delete',
  'action:*Certificates*secrets*management*',
  'action:"create serviceaccounts/token"',
].join(' OR ');

/** Auditscope's built-in rules, with the case's thresholds. */
export function builtInRules(s: DetectionSettings): AlertRule[] {
  const common = { file: 'built-in', groupBy: [] as string[] };
  return [
    {
      ...common,
      id: 'auditscope.suspicious-ip',
      title: 'Suspicious IP: repeated failed sign-ins',
      level: 'high',
      type: 'threshold',
      description: `${s.ipFailures} or more failed sign-ins from one IP within ${s.ipFailuresMinutes} minutes.`,
      search: FAILED_SIGN_IN,
      groupBy: ['ip'],
      threshold: s.ipFailures,
      within: s.ipFailuresMinutes * MINUTE,
    },
    {
      ...common,
      id: 'auditscope.targeted-account',
      title: 'Targeted account: repeated failed sign-ins',
      level: 'high',
      type: 'threshold',
      description: `More than ${s.accountFailuresAbove} failed sign-ins of one account within ${s.accountFailuresHours} hours.`,
      search: FAILED_SIGN_IN,
      groupBy: ['actor'],
      threshold: s.accountFailuresAbove + 1,
      within: s.accountFailuresHours * HOUR,
    },
    {
      ...common,
      id: 'auditscope.password-spraying',
      title: 'Password spraying: one IP failing against many accounts',
      level: 'high',
      type: 'distinct',
      description: `One IP failing to sign in as ${s.sprayAccounts} or more distinct accounts within ${s.sprayHours} hours.`,
      search: FAILED_SIGN_IN,
      groupBy: ['ip'],
      distinct: 'actor',
      threshold: s.sprayAccounts,
      within: s.sprayHours * HOUR,
    },
    {
      ...common,
      id: 'auditscope.failures-then-success',
      title: 'Failed sign-ins, then a success, for one account',
      level: 'medium',
      type: 'sequence',
      description: 'A failed sign-in followed by a successful one of the same account within 10 minutes.',
      groupBy: ['actor'],
      within: 10 * MINUTE,
      steps: [
        { search: FAILED_SIGN_IN, min: 1 },
        { search: 'kind:login', min: 1 },
      ],
    },
    {
      ...common,
      id: 'auditscope.privilege-change',
      title: 'Privilege change',
      level: 'medium',
      type: 'event',
      description: 'Roles or policies granted or changed, admins or members added.',
      search: PRIVILEGE_CHANGE_SEARCH,
      groupBy: ['actor'],
    },
    {
      ...common,
      id: 'auditscope.account-lockout',
      title: 'Account locked out',
      level: 'medium',
      type: 'event',
      search: LOCKOUT_SEARCH,
      groupBy: ['actor'],
    },
    {
      ...common,
      id: 'auditscope.mfa-change',
      title: 'MFA factor changed',
      level: 'medium',
      type: 'event',
      description: 'Second factors enrolled, activated, reset, deactivated or removed.',
      search: MFA_CHANGE_SEARCH,
      groupBy: ['actor'],
    },
    {
      ...common,
      id: 'auditscope.api-key-change',
      title: 'API key or access token created or deleted',
      level: 'medium',
      type: 'event',
      search: API_KEY_SEARCH,
      groupBy: ['actor'],
    },
    {
      ...common,
      id: 'auditscope.bulk-export',
      title: 'Large export: many exports or downloads by one actor',
      level: 'high',
      type: 'threshold',
      description: `${s.exportCount} or more exports or downloads by one actor within ${s.exportMinutes} minutes.`,
      search: 'kind:export',
      groupBy: ['actor'],
      threshold: s.exportCount,
      within: s.exportMinutes * MINUTE,
    },
  ];
}
