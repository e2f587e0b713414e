import { actionTokens } from './event-taxonomy.ts';

/**
 * What an event was, in the words of a per-user activity report: sign-ins (and failed ones),
 * sign-outs, and records viewed, created, modified, deleted or exported. Derived from the action's
 * verb and the event's category and outcome, as the event model has no finer field for it.
 */
export const ACTIVITY_KINDS = [
  'login',
  'login-failed',
  'logout',
  'view',
  'create',
  'modify',
  'delete',
  'export',
  'other',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

const set = (list: string): ReadonlySet<string> => new Set(list.split(' '));
const LOGOUT = set('logout logoff signout sessionend');
const LOGIN = set(
  'login logon signin signon sso saml authenticate authentication authenticated consolelogin sessionstart',
);
/** The words that make an action an export. */
export const EXPORT_WORDS = 'export exported download downloaded share shared snapshot copy';
/** Each export word contains one of these: the query compiler pre-filters `kind:export` with them. */
export const EXPORT_VERBS: readonly string[] = ['export', 'download', 'share', 'snapshot', 'copy'];
const EXPORT = set(EXPORT_WORDS);
const DELETE = set('delete deleted remove removed destroy terminate revoke revoked purge deletecollection');
const CREATE = set('create created add added insert upload launch run invite register import');
const MODIFY = set(
  'update updated modify modified set put patch change changed attach detach enable enabled disable disabled rename replace reset assign grant granted restore',
);
const VIEW = set(
  'get list describe read view viewed search query head lookup select watch fetch show browse retrieve accessed',
);

/** Verb sets in the order they are tried on the action's first and last word, then on any word. */
const VERBS: readonly [ReadonlySet<string>, ActivityKind][] = [
  [EXPORT, 'export'],
  [DELETE, 'delete'],
  [CREATE, 'create'],
  [MODIFY, 'modify'],
  [VIEW, 'view'],
];

function pairs(tokens: readonly string[]): string[] {
  return tokens.slice(1).map((t, i) => `${tokens[i]}${t}`);
}

export function activityKind(action: string, category: string, outcome: string): ActivityKind {
  const tokens = actionTokens(action);
  // "sign in", "log out": two words that mean one.
  const words = [...tokens, ...pairs(tokens)];
  if (category === 'authentication') {
    if (words.some((w) => LOGOUT.has(w))) return 'logout';
    if (words.some((w) => LOGIN.has(w))) return outcome === 'failure' ? 'login-failed' : 'login';
  }
  const edges = [tokens[0], tokens[tokens.length - 1]];
  for (const [verbs, kind] of VERBS) if (edges.some((t) => t !== undefined && verbs.has(t))) return kind;
  for (const [verbs, kind] of VERBS) if (tokens.some((t) => verbs.has(t))) return kind;
  if (category === 'authentication' && outcome === 'failure') return 'login-failed';
  return 'other';
}
