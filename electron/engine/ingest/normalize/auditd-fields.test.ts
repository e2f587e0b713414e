import { describe, expect, it } from 'vitest';
import { decodeHexValue, decodeSockaddr } from './auditd-decode.ts';
import { parseAuditFields, parseAuditHeader } from './auditd-fields.ts';
import { syscallCategory, syscallName } from './auditd-syscalls.ts';

const plain = (o: Record<string, string>) => ({ ...o });

describe('parseAuditHeader', () => {
  it('reads type, time and serial exactly as written, with an optional node= prefix', () => {
    expect(
      parseAuditHeader('node=web1 type=SYSCALL msg=audit(1490995752.404:20614537): arch=c000003e'),
    ).toEqual({
      node: 'web1',
      type: 'SYSCALL',
      epoch: '1490995752.404',
      serial: '20614537',
      body: ' arch=c000003e',
    });
    expect(parseAuditHeader('type=AUOMS_EXECVE audit(1652292621.986:84138): a=1')?.type).toBe('AUOMS_EXECVE');
    expect(parseAuditHeader('type=UNKNOWN[1334] msg=audit(1.5:9):')?.type).toBe('UNKNOWN[1334]');
  });

  it('rejects lines that are not audit records', () => {
    expect(parseAuditHeader('Jan  1 00:00:00 host sshd[1]: hello')).toBeUndefined();
    expect(parseAuditHeader('type=SYSCALL msg=audit(abc:1):')).toBeUndefined();
    expect(parseAuditHeader('')).toBeUndefined();
  });
});

describe('parseAuditFields', () => {
  it('parses plain, quoted and (null) values and decodes hex-encoded strings', () => {
    const f = parseAuditFields(
      'SYSCALL',
      ' comm="charon" exe=2F7573722F62696E2F78202864656C6574656429 key=(null) a1=7f56476614b0',
    );
    expect(plain(f)).toEqual({
      comm: 'charon',
      exe: '/usr/bin/x (deleted)',
      key: '(null)',
      a1: '7f56476614b0',
    });
    expect(Object.getPrototypeOf(f)).toBe(null);
  });

  it('decodes proctitle with NUL separators as spaces', () => {
    expect(parseAuditFields('PROCTITLE', 'proctitle=67726570002D76005E3F').proctitle).toBe('grep -v ^?');
    expect(parseAuditFields('PROCTITLE', 'proctitle="bash"').proctitle).toBe('bash');
  });

  it('parses the nested msg of userspace records, keeping the inner text too', () => {
    const f = parseAuditFields(
      'USER_LOGIN',
      ' pid=12635 uid=0 auid=4294967295 ses=4294967295 msg=\'op=login acct=28696E76616C6964207573657229 exe="/usr/sbin/sshd" hostname=? addr=179.38.151.221 terminal=sshd res=failed\'',
    );
    expect(f.acct).toBe('(invalid user)');
    expect(f.exe).toBe('/usr/sbin/sshd');
    expect(f.addr).toBe('179.38.151.221');
    expect(f.res).toBe('failed');
    expect(f.msg).toMatch(/^op=login acct=28696E/);
  });

  it('handles the 2007-era forms: bare words, "old auid=… new auid=…" and "(hostname=?, …)"', () => {
    const login = parseAuditFields('LOGIN', ' login pid=13015 uid=0 old auid=4294967295 new auid=0');
    expect(plain(login)).toEqual({ pid: '13015', uid: '0', 'old-auid': '4294967295', auid: '0' });
    const start = parseAuditFields(
      'USER_START',
      ' user pid=13015 msg=\'PAM: session open acct=root : exe="/usr/sbin/crond" (hostname=?, addr=?, terminal=cron res=success)\'',
    );
    expect([start.acct, start.hostname, start.addr, start.terminal, start.res]).toEqual([
      'root',
      '?',
      '?',
      'cron',
      'success',
    ]);
  });

  it('notes the SELinux decision of AVC records', () => {
    const f = parseAuditFields(
      'AVC',
      'avc:  denied  { read write } for  pid=13010 comm="pickup" name="maildrop"',
    );
    expect([f.seresult, f.seperms, f.comm, f.name]).toEqual(['denied', 'read,write', 'pickup', 'maildrop']);
  });

  it('joins long EXECVE arguments split into chunks, and decodes hex arguments', () => {
    const f = parseAuditFields('EXECVE', 'argc=2 a0="echo" a1_len=10 a1[0]=68656C6C6F a1[1]=20776F726C64');
    expect(plain(f)).toEqual({ argc: '2', a0: 'echo', a1_len: '10', a1: 'hello world' });
    expect(parseAuditFields('EXECVE', 'argc=1 a0=612062').a0).toBe('a b');
  });

  it('decodes SOCKADDR into family, address and port', () => {
    const f = parseAuditFields('SOCKADDR', 'saddr=02000050A9FEA9FE0000000000000000');
    expect([f.saddr_fam, f.laddr, f.lport]).toEqual(['inet', '169.254.169.254', '80']);
  });

  it('treats the ENRICHED 0x1D separator as a field separator', () => {
    const f = parseAuditFields('SYSCALL', 'auid=1000 key=(null)\x1dARCH=x86_64 SYSCALL=execve AUID="alice"');
    expect([f.key, f.ARCH, f.SYSCALL, f.AUID]).toEqual(['(null)', 'x86_64', 'execve', 'alice']);
  });

  it('keeps hostile keys as data without touching prototypes', () => {
    const f = parseAuditFields('SYSCALL', '__proto__=x constructor=y prototype=z toString=w');
    expect(plain(f)).toEqual({ ['__proto__']: 'x', constructor: 'y', prototype: 'z', toString: 'w' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.getPrototypeOf(f)).toBe(null);
  });

  it('survives unterminated quotes and stray punctuation', () => {
    expect(plain(parseAuditFields('X', 'a="open b=2'))).toEqual({ a: 'open b=2' });
    expect(plain(parseAuditFields('X', "msg='x=1"))).toEqual({ msg: 'x=1', x: '1' });
    expect(plain(parseAuditFields('X', '= =a b= c'))).toEqual({ b: '' });
  });

  describe('lenient (auoms) quoting', () => {
    it('lets a quoted value contain unescaped quotes, ending only before the next key', () => {
      const f = parseAuditFields(
        'AUOMS_EXECVE',
        'argc=3 cmdline="bash -c "{echo,YQ==}|{base64,-d}|{bash,-i}"" redactors= containerid=',
        true,
      );
      expect(plain(f)).toEqual({
        argc: '3',
        cmdline: 'bash -c "{echo,YQ==}|{base64,-d}|{bash,-i}"',
        redactors: '',
        containerid: '',
      });
    });

    it('lets an unquoted value run over spaces until the next key', () => {
      const f = parseAuditFields(
        'AUOMS_EXECVE',
        'proctitle=/usr/bin/java -Dx.y=/opt -Djava.util.l redactors= path_name=["/a","/b"]',
        true,
      );
      expect(plain(f)).toEqual({
        proctitle: '/usr/bin/java -Dx.y=/opt -Djava.util.l',
        redactors: '',
        path_name: '["/a","/b"]',
      });
    });
  });
});

describe('decoding helpers', () => {
  it('shows multiple rule keys (0x01-separated) with commas', () => {
    expect(decodeHexValue('key', '61756F6D730164656C657465')).toBe('auoms,delete');
  });

  it('decodes IPv6 and unix socket addresses', () => {
    expect(decodeSockaddr('0A000016000000000000000000000000000000000000000100000000')).toEqual({
      saddr_fam: 'inet6',
      laddr: '::1',
      lport: '22',
    });
    expect(decodeSockaddr('01002F746D702F736F636B0000')).toEqual({ saddr_fam: 'local', path: '/tmp/sock' });
    expect(decodeSockaddr('0100006162630000')).toEqual({ saddr_fam: 'local', path: '@abc' });
    expect(decodeSockaddr('zz')).toBeUndefined();
  });

  it('names x86_64 syscalls and leaves other architectures numeric', () => {
    expect(
      [
        '59',
        '42',
        '257',
        '2',
        '263',
        '90',
        '268',
        '101',
        '105',
        '62',
        '49',
        '41',
        '175',
        '313',
        '165',
        '82',
      ].map((n) => syscallName('c000003e', n)),
    ).toEqual([
      'execve',
      'connect',
      'openat',
      'open',
      'unlinkat',
      'chmod',
      'fchmodat',
      'ptrace',
      'setuid',
      'kill',
      'bind',
      'socket',
      'init_module',
      'finit_module',
      'mount',
      'rename',
    ]);
    expect(syscallName('c00000b7', '59')).toBeUndefined();
    expect(syscallName('c000003e', '9999')).toBeUndefined();
    expect(syscallName('x86_64', 'execve')).toBe('execve');
  });

  it('tells reading opens from writing opens by their flags', () => {
    expect(syscallCategory('open', { a1: '10800' })).toBe('data_access');
    expect(syscallCategory('openat', { a1: 'ffffff9c', a2: '241' })).toBe('data_change');
    expect(syscallCategory('unlinkat', {})).toBe('data_change');
    expect(syscallCategory('connect', {})).toBe('network');
    expect(syscallCategory('execve', {})).toBe('system');
  });
});
