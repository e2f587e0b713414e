/**
 * Mapping of one grouped auditd event onto the normalized event model.
 */
import { isIP } from 'node:net';
import type {
  AuditActor,
  AuditTarget,
  EventCategory,
  EventOutcome,
  NormalizedEvent,
} from '../../../../shared/domain/audit-event.ts';
import { RecordError } from '../types.ts';
import { syscallCategory, syscallName } from './auditd-syscalls.ts';
import type { AuditEventView } from './auditd-value.ts';

/** The audit login uid / session id auditd writes when none is set. */
const UNSET = new Set(['4294967295', '-1', 'unset']);
/** Placeholders auditd writes for "no value". */
const EMPTY = new Set(['', '?', '(null)', '(none)']);

function present(v: string | undefined): string | undefined {
  return v !== undefined && !EMPTY.has(v) ? v : undefined;
}

/** `1490995752.404` → epoch microseconds. Throws RecordError when not representable. */
export function epochToMicros(epoch: string): number {
  const m = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(epoch);
  if (!m?.[1]) throw new RecordError(`invalid audit timestamp "${epoch}"`);
  const micros = Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
  if (!Number.isSafeInteger(micros)) throw new RecordError(`audit timestamp out of range "${epoch}"`);
  return micros;
}

const AUTH_TYPES = new Set([
  'USER_AUTH',
  'USER_LOGIN',
  'USER_LOGOUT',
  'USER_START',
  'USER_END',
  'USER_ACCT',
  'USER_ERR',
  'LOGIN',
  'ANOM_LOGIN_FAILURES',
  'ANOM_LOGIN_LOCATION',
  'ANOM_LOGIN_SESSIONS',
  'ANOM_LOGIN_TIME',
  'ANOM_LOGIN_ACCT',
  'ANOM_LOGIN_SERVICE',
]);
const IAM_TYPES = new Set([
  'ADD_USER',
  'DEL_USER',
  'ADD_GROUP',
  'DEL_GROUP',
  'USER_CHAUTHTOK',
  'USER_MGMT',
  'GRP_MGMT',
  'GRP_CHAUTHTOK',
  'CHUSER_ID',
  'CHGRP_ID',
  'USER_ROLE_CHANGE',
  'ACCT_LOCK',
  'ACCT_UNLOCK',
  'ANOM_ADD_ACCT',
  'ANOM_DEL_ACCT',
  'ANOM_MOD_ACCT',
]);
const CONFIG_TYPES = new Set([
  'CONFIG_CHANGE',
  'DAEMON_CONFIG',
  'USYS_CONFIG',
  'MAC_POLICY_LOAD',
  'MAC_CONFIG_CHANGE',
  'MAC_STATUS',
  'NETFILTER_CFG',
  'FEATURE_CHANGE',
  'SOFTWARE_UPDATE',
  'USER_MAC_POLICY_LOAD',
  'USER_MAC_CONFIG_CHANGE',
]);
const SYSTEM_PREFIXES = ['DAEMON_', 'SERVICE_', 'SYSTEM_'];
const SYSTEM_TYPES = new Set(['EXECVE', 'USER_CMD', 'KERNEL', 'ANOM_ABEND', 'PROCTITLE']);

/** Whether the event is a system call (kernel SYSCALL, or auoms' one-line syscall records). */
function isSyscallEvent(view: AuditEventView): boolean {
  return (
    (view.type === 'SYSCALL' || view.type.startsWith('AUOMS_')) && present(view.get('syscall')) !== undefined
  );
}

function categoryOf(view: AuditEventView, syscall: string | undefined): EventCategory {
  const t = view.type;
  if (AUTH_TYPES.has(t) || t.startsWith('CRED_')) return 'authentication';
  if (IAM_TYPES.has(t) || t.startsWith('ROLE_')) return 'iam';
  if (CONFIG_TYPES.has(t)) return 'configuration';
  if (SYSTEM_TYPES.has(t) || SYSTEM_PREFIXES.some((p) => t.startsWith(p))) return 'system';
  const hasSockaddr = view.records.some((r) => r.type === 'SOCKADDR');
  if (syscall !== undefined && !/^\d+$/.test(syscall)) {
    return syscallCategory(syscall, { a1: view.get('a1'), a2: view.get('a2') });
  }
  if (hasSockaddr) return 'network';
  if (t === 'SYSCALL') return 'system';
  if (t === 'PATH' || t === 'CWD') return 'data_access';
  return 'other';
}

function outcomeOf(view: AuditEventView): EventOutcome {
  const success = view.get('success');
  if (success === 'yes') return 'success';
  if (success === 'no') return 'failure';
  const res = view.get('res')?.toLowerCase();
  if (res === 'success' || res === '1' || res === 'yes') return 'success';
  if (res === 'failed' || res === 'failure' || res === '0' || res === 'no') return 'failure';
  const se = view.get('seresult') ?? view.get('apparmor')?.toLowerCase();
  if (se === 'denied') return 'failure';
  if (se === 'granted' || se === 'allowed') return 'success';
  return 'unknown';
}

function actorOf(view: AuditEventView, useAcct: boolean): AuditActor {
  const auid = present(view.get('auid'));
  const loginUid = auid !== undefined && !UNSET.has(auid) ? auid : undefined;
  const id = loginUid ?? present(view.get('uid'));
  const enriched = loginUid !== undefined ? view.get('AUID') : view.get('UID');
  // auoms resolves names itself: `audit_user` for auid, `user` for uid.
  const auomsName = loginUid !== undefined ? view.get('audit_user') : view.get('user');
  const acct = useAcct ? present(view.get('acct')) : undefined;
  const name = acct ?? present(enriched) ?? (auomsName !== 'unset' ? present(auomsName) : undefined);
  const actor: AuditActor = {};
  if (id !== undefined) actor.id = id;
  if (name !== undefined) actor.name = name;
  if (id !== undefined || name !== undefined) actor.type = 'user';
  return actor;
}

function targetOf(view: AuditEventView, iam: boolean): AuditTarget {
  const acct = present(view.get('acct'));
  if (iam) {
    const type = /GROUP|GRP/.test(view.type) ? 'group' : 'user';
    if (acct !== undefined) return { type, name: acct };
    const id = present(view.get('id'));
    return id !== undefined ? { type, id } : {};
  }
  const name = present(view.get('name'));
  if (name !== undefined) return { type: 'file', name };
  const exe = present(view.get('exe'));
  if (exe !== undefined) return { type: 'process', name: exe };
  return acct !== undefined ? { type: 'user', name: acct } : {};
}

function ipOf(view: AuditEventView, fallbackIp: string | undefined): string | undefined {
  const fam = view.get('saddr_fam');
  const candidates = [
    view.get('addr'),
    view.get('hostname'),
    fam === 'inet' || fam === 'inet6' ? view.get('laddr') : undefined,
    fallbackIp,
  ];
  return candidates.find((c) => c !== undefined && isIP(c) !== 0);
}

/** EXECVE's arguments joined, else auoms' cmdline, else the proctitle, else USER_CMD's cmd. */
function commandLineOf(view: AuditEventView): string | undefined {
  const execve = view.records.find((r) => r.type === 'EXECVE');
  if (execve) {
    const argc = Number(execve.fields.argc);
    const limit = Number.isInteger(argc) && argc >= 0 ? argc : Number.POSITIVE_INFINITY;
    const args: string[] = [];
    for (let i = 0; i < limit; i++) {
      const arg = execve.fields[`a${i}`];
      if (arg === undefined) break;
      args.push(arg);
    }
    if (args.length > 0) return args.join(' ');
  }
  return present(view.get('cmdline')) ?? present(view.get('proctitle')) ?? present(view.get('cmd'));
}

/** Map a grouped event. `fallbackIp` is used when the event itself names no IP (auoms HostIP). */
export function mapAuditEvent(view: AuditEventView, fallbackIp?: string): NormalizedEvent {
  const timeOriginal = `${view.epoch}:${view.serial}`;
  const syscall = isSyscallEvent(view) ? present(view.get('syscall')) : undefined;
  const named = syscall !== undefined ? (syscallName(view.get('arch'), syscall) ?? syscall) : undefined;
  const category = categoryOf(view, named);
  const iam = category === 'iam';
  const event: NormalizedEvent = {
    time: epochToMicros(view.epoch),
    timeOriginal,
    source: 'linux.auditd',
    action: named !== undefined ? `syscall:${named}` : view.type.toLowerCase(),
    category,
    outcome: outcomeOf(view),
    actor: actorOf(view, !iam),
    target: targetOf(view, iam),
    requestId: timeOriginal,
    changes: [],
  };
  const ip = ipOf(view, fallbackIp);
  if (ip !== undefined) event.ip = ip;
  const ses = present(view.get('ses'));
  if (ses !== undefined && !UNSET.has(ses)) event.sessionId = ses;
  const message = commandLineOf(view);
  if (message !== undefined) event.message = message;
  return event;
}
