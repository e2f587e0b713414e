/**
 * One vocabulary for mapping vendor actions and result strings onto the event model's category
 * and outcome, so every normalizer classifies "login", "CreateUser", "user.lifecycle.create" alike.
 * Meanings follow ECS `event.category` / OCSF classes.
 */
import type { EventCategory, EventOutcome } from '../domain/audit-event.ts';

/** A word set from a space-separated list (keeps the vocabularies readable and compact). */
function words(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter((w) => w.length > 0));
}

const AUTH_WORDS = words(
  'login logon logout logoff signin signout signon sso saml authenticate authentication ' +
    'authenticated reauthenticate session sessions mfa 2fa otp challenge device verification ' +
    'consolelogin',
);
/** Two-word spellings of authentication acts, matched on adjacent tokens. */
const AUTH_PAIRS = new Set(['sign in', 'sign out', 'log in', 'log out', 'two factor', 'assume role']);

/** Nouns that turn an authentication-looking action into an administrative change of it. */
const ADMIN_OVERRIDE_WORDS = words('policy policies setting settings configuration config');

const READ_VERBS = words(
  'get list describe read view search query download export head lookup select watch fetch show ' +
    'browse retrieve accessed viewed',
);

const WRITE_VERBS = words(
  'create created update updated delete deleted put add added remove removed modify modified set ' +
    'patch write upload insert attach detach change changed rename copy move import restore destroy ' +
    'enable enabled disable disabled activate deactivate start stop run terminate replace ' +
    'deletecollection rollover bootstrap share revoke revoked',
);

const IAM_WORDS = words(
  'user users role roles policy policies group groups member members membership permission ' +
    'permissions privilege privileges key keys accesskey token tokens credential credentials password ' +
    'account accounts principal grant granted consent oauth oauth2 entitlement clusterrole ' +
    'clusterroles clusterrolebinding clusterrolebindings rolebinding rolebindings serviceaccount ' +
    'serviceaccounts certificate certificates secret secrets identity trust profile',
);

const CONFIG_WORDS = words(
  'setting settings config configuration configmap configmaps trail trails selector selectors ' +
    'logging audit brand zone mapping attribute feature securitygroup ingress egress vpc subnet route ' +
    'firewall domain rule rules application webhook hook workflow preference preferences threat rate ' +
    'limit',
);

/** Two-word configuration objects whose second word would otherwise read as IAM (`group`). */
const CONFIG_PAIRS = new Set([
  'security group',
  'network acl',
  'route table',
  'log group',
  'parameter group',
]);

const NETWORK_WORDS = words('connection connect connected network traffic dns packet flow socket');

const SYSTEM_WORDS = words(
  'command process exec execve syscall kernel boot shutdown reboot daemon module service',
);

/**
 * Lower-case words of an action: splits camelCase, dots, slashes, underscores and digits
 * (`CreateAccessKey` → create access key, `user.failed_login` → user failed login).
 */
export function actionTokens(action: string): string[] {
  // Imports see the same few hundred action names millions of times: remember their tokens.
  const cached = TOKEN_CACHE.get(action);
  if (cached) return cached;
  const tokens = splitActionTokens(action);
  if (TOKEN_CACHE.size >= TOKEN_CACHE_LIMIT) TOKEN_CACHE.clear();
  TOKEN_CACHE.set(action, tokens);
  return tokens;
}

const TOKEN_CACHE = new Map<string, string[]>();
const TOKEN_CACHE_LIMIT = 10_000;

function splitActionTokens(action: string): string[] {
  return action
    .slice(0, 512)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])/)
    .filter((t) => t.length > 0 && !/^\d+$/.test(t));
}

function hasAny(tokens: readonly string[], set: ReadonlySet<string>): boolean {
  return tokens.some((t) => set.has(t));
}

function hasPair(tokens: readonly string[], pairs: ReadonlySet<string>): boolean {
  for (let i = 0; i + 1 < tokens.length; i++) if (pairs.has(`${tokens[i]} ${tokens[i + 1]}`)) return true;
  return false;
}

type VerbKind = 'read' | 'write' | undefined;

/**
 * Whether the action's verb reads or writes. API names put the verb first (`DeleteResolverQueryLogConfig`),
 * dotted event types last (`user.lifecycle.create`); only then is any verb in between considered.
 */
function verbKind(tokens: readonly string[]): VerbKind {
  const edges = [tokens[0], tokens[tokens.length - 1]];
  for (const token of edges) {
    if (token === undefined) continue;
    if (READ_VERBS.has(token)) return 'read';
    if (WRITE_VERBS.has(token)) return 'write';
  }
  if (hasAny(tokens, READ_VERBS)) return 'read';
  if (hasAny(tokens, WRITE_VERBS)) return 'write';
  return undefined;
}

/** True when the action reads only (Get/List/Describe…), the ECS "access" / OCSF "Read" activity. */
export function isReadAction(action: string): boolean {
  return verbKind(actionTokens(action)) === 'read';
}

/**
 * Category from free action text, checked in this order: authentication acts; reads
 * (data_access); IAM objects; configuration objects; other writes (data_change); network; system.
 */
export function categoryFromAction(action: string): EventCategory {
  const tokens = actionTokens(action);
  if (tokens.length === 0) return 'other';
  const authLike = hasAny(tokens, AUTH_WORDS) || hasPair(tokens, AUTH_PAIRS);
  if (authLike && !hasAny(tokens, ADMIN_OVERRIDE_WORDS)) return 'authentication';
  const verb = verbKind(tokens);
  if (verb === 'read') return 'data_access';
  if (hasPair(tokens, CONFIG_PAIRS)) return 'configuration';
  if (hasAny(tokens, IAM_WORDS)) return 'iam';
  if (hasAny(tokens, CONFIG_WORDS)) return 'configuration';
  if (verb === 'write') return 'data_change';
  if (hasAny(tokens, NETWORK_WORDS)) return 'network';
  if (hasAny(tokens, SYSTEM_WORDS)) return 'system';
  return 'other';
}

/** Category of a verb acting on a kind of object, e.g. (`create`, `clusterroles`) → iam. */
export function categoryFromVerb(verb: string, objectKind = ''): EventCategory {
  return categoryFromAction(`${verb} ${objectKind}`);
}

const SUCCESS_WORDS = words(
  'success succeeded successful ok allow allowed true pass passed yes granted accepted approved ' +
    'complete completed done permit permitted',
);
const FAILURE_WORDS = words(
  'failure failed fail deny denied error errored false no rejected reject blocked block ' +
    'unauthorized forbidden timeout invalid challenge_failure',
);

/** Outcome from a result word (`SUCCESS`, `ALLOW`, `Failed`, `deny`, `true`…); anything else is unknown. */
export function outcomeFromText(value: unknown): EventOutcome {
  if (typeof value === 'boolean') return value ? 'success' : 'failure';
  if (typeof value !== 'string') return 'unknown';
  const word = value.trim().toLowerCase();
  if (SUCCESS_WORDS.has(word)) return 'success';
  if (FAILURE_WORDS.has(word)) return 'failure';
  return 'unknown';
}

/** Outcome from an HTTP-like status code: < 400 success, ≥ 400 failure. */
export function outcomeFromHttpStatus(code: unknown): EventOutcome {
  const n = typeof code === 'string' && /^\d{3}$/.test(code.trim()) ? Number(code) : code;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 100 || n > 599) return 'unknown';
  return n < 400 ? 'success' : 'failure';
}

/** Failure when an action name itself says so (`user.failed_login`, `…_challenge_failure`). */
export function outcomeFromActionName(action: string): EventOutcome | undefined {
  const tokens = actionTokens(action);
  if (tokens.some((t) => t === 'failed' || t === 'failure' || t === 'fail' || t === 'denied'))
    return 'failure';
  return undefined;
}
