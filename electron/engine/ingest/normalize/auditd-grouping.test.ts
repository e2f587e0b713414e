import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataset } from '../../../../test/support/paths.ts';
import { type GroupedAuditd, groupAuditdLines } from './auditd-grouping.ts';
import { auditdFileLines, auditdTextLines, collect } from './auditd-test-lines.ts';

const RAW_FILES: Array<[folder: string, file: string, events: number, lines: number]> = [
  ['go-libaudit', 'audit-rhel6.log', 2, 2],
  ['go-libaudit', 'audit-ubuntu14.log', 1, 1],
  ['go-libaudit', 'audit-ubuntu16.log', 3, 3],
  ['go-libaudit', 'normal.log', 5, 17],
  ['go-libaudit', 'test2.log', 7, 10],
  ['otrf', 'sh_arp_cache_2020-11-10074812.log', 2, 12],
];

function records(items: GroupedAuditd[]) {
  return items.flatMap((i) => (i.kind === 'record' ? [i.record] : []));
}
function rejects(items: GroupedAuditd[]) {
  return items.flatMap((i) => (i.kind === 'reject' ? [i.reject] : []));
}

describe('groupAuditdLines on the real audit.log samples', () => {
  for (const [folder, file, events, lineCount] of RAW_FILES) {
    it(`${folder}/${file}: one event per distinct audit(time:serial), every line accounted for`, async () => {
      const path = dataset('linux-auditd', folder, file);
      const content = readFileSync(path, 'utf8');
      const distinct = new Set([...content.matchAll(/msg=audit\(([0-9.]+:[0-9]+)\)/g)].map((m) => m[1]));
      const nonEmpty = content.split('\n').filter((l) => l.trim() !== '').length;
      expect(distinct.size).toBe(events);
      expect(nonEmpty).toBe(lineCount);

      const items = await collect(groupAuditdLines(auditdFileLines(path)));
      const groups = records(items);
      expect(groups.length).toBe(distinct.size);
      expect(rejects(items)).toEqual([]);
      const groupedLines = groups.reduce((n, r) => n + r.text.split('\n').length, 0);
      expect(groupedLines).toBe(nonEmpty);
      // Each group's text is its lines, byte for byte, and every line is in exactly one group.
      const fileLines = content.split('\n').filter((l) => l !== '');
      expect(groups.flatMap((r) => r.text.split('\n')).sort()).toEqual([...fileLines].sort());
      expect(new Set(groups.map((r) => `${String(r.value.epoch)}:${String(r.value.serial)}`))).toEqual(
        distinct,
      );
    });
  }

  it('keeps the text of a file without a trailing newline byte-exact (audit-ubuntu14.log)', async () => {
    const path = dataset('linux-auditd', 'go-libaudit', 'audit-ubuntu14.log');
    const content = readFileSync(path, 'utf8');
    expect(content.endsWith('\n')).toBe(false);
    const [group] = records(await collect(groupAuditdLines(auditdFileLines(path))));
    expect(group?.text).toBe(content);
    expect(group?.offset).toBe(0);
    expect(group?.line).toBe(1);
    expect(group?.value.type).toBe('PATH');
  });

  it('groups interleaved records in file order and reports the first line (normal.log)', async () => {
    const path = dataset('linux-auditd', 'go-libaudit', 'normal.log');
    const groups = records(await collect(groupAuditdLines(auditdFileLines(path))));
    const e59 = groups.find((r) => r.value.serial === '59');
    expect(e59?.line).toBe(3);
    expect(e59?.offset).toBe(readFileSync(path, 'utf8').indexOf('type=SYSCALL msg=audit(1492037291.036:59)'));
    expect(e59?.value.types).toEqual(['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PATH']);
    expect(e59?.document).toBe(e59?.value);
    expect(Object.getPrototypeOf(e59?.value)).toBe(null);
    expect(e59?.text.split('\n').map((l) => l.slice(0, 12))).toEqual([
      'type=SYSCALL',
      'type=EXECVE ',
      'type=CWD msg',
      'type=PATH ms',
      'type=PATH ms',
    ]);
  });

  it('emits standalone userspace records at once and the rest at end of input (test2.log)', async () => {
    const path = dataset('linux-auditd', 'go-libaudit', 'test2.log');
    const groups = records(await collect(groupAuditdLines(auditdFileLines(path))));
    expect(groups.map((r) => r.value.serial)).toEqual(['294', '295', '297', '298', '299', '293', '296']);
    expect(
      groups.every((r) => String(r.value.epoch).startsWith('11700216') || r.value.serial === '293'),
    ).toBe(true);
  });
});

const line = (type: string, serial: number, rest = 'a=1') =>
  `type=${type} msg=audit(1700000000.000:${serial}): ${rest}`;

describe('groupAuditdLines rules', () => {
  it('closes a group on EOE, keeping the EOE line in the text but not in the records', async () => {
    const items = await collect(
      groupAuditdLines(
        auditdTextLines([
          line('SYSCALL', 1),
          line('SYSCALL', 2),
          line('PATH', 1),
          line('EOE', 1, ''),
          line('EOE', 2, ''),
        ]),
      ),
    );
    const groups = records(items);
    expect(groups.map((r) => r.value.serial)).toEqual(['1', '2']);
    expect(groups[0]?.text.split('\n').length).toBe(3);
    expect(groups[0]?.value.types).toEqual(['SYSCALL', 'PATH']);
  });

  it('rejects lines that are not audit records and orphan EOEs, skips blank lines', async () => {
    const items = await collect(
      groupAuditdLines(
        auditdTextLines([
          'garbage here',
          '',
          '   ',
          line('EOE', 9, ''),
          line('USER_LOGIN', 3, "msg='res=success'"),
        ]),
      ),
    );
    const bad = rejects(items);
    expect(bad.map((r) => [r.line, r.offset])).toEqual([
      [1, 0],
      [4, 18],
    ]);
    expect(bad[0]?.reason).toMatch(/^not an audit record/);
    expect(bad[1]?.reason).toMatch(/^EOE record of an event that is not open/);
    expect(new TextDecoder().decode(bad[0]?.head)).toBe('garbage here');
    expect(bad[0]?.length).toBe(12);
    expect(records(items).length).toBe(1);
  });

  it('flushes a group once more than `window` lines have passed since its last record', async () => {
    const texts = [line('SYSCALL', 1), line('SYSCALL', 2), line('SYSCALL', 3), line('PATH', 1)];
    const groups = records(await collect(groupAuditdLines(auditdTextLines(texts), { window: 1 })));
    // Serial 1 is flushed after line 3 (2 lines later), so its late PATH starts a new event.
    expect(groups.map((r) => [r.value.serial, r.line])).toEqual([
      ['1', 1],
      ['2', 2],
      ['3', 3],
      ['1', 4],
    ]);
    const late = await collect(
      groupAuditdLines(auditdTextLines([line('SYSCALL', 1), line('CWD', 2), line('PATH', 1)]), { window: 0 }),
    );
    expect(records(late).map((r) => r.value.serial)).toEqual(['1', '2', '1']);
  });

  it('emits standalone types without waiting, others when their window or the input ends', async () => {
    const texts = [
      line('SYSCALL', 1),
      line('ADD_USER', 2),
      line('SERVICE_START', 3),
      line('CRED_ACQ', 4),
      line('CONFIG_CHANGE', 5),
      line('DEL_GROUP', 6),
    ];
    const groups = records(await collect(groupAuditdLines(auditdTextLines(texts))));
    expect(groups.map((r) => r.value.serial)).toEqual(['2', '3', '4', '6', '1', '5']);
  });

  it('flags the event when any of its lines had an encoding error', async () => {
    async function* lines() {
      yield { text: line('SYSCALL', 1), offset: 0, line: 1, encodingError: false };
      yield { text: line('PATH', 1, 'name=\uFFFD'), offset: 60, line: 2, encodingError: true };
      yield { text: line('SYSCALL', 2), offset: 120, line: 3, encodingError: false };
    }
    const groups = records(await collect(groupAuditdLines(lines())));
    expect(groups.map((r) => [r.value.serial, r.encodingError])).toEqual([
      ['1', true],
      ['2', false],
    ]);
  });

  it('keeps events of different nodes apart', async () => {
    const texts = [`node=a ${line('SYSCALL', 1)}`, `node=b ${line('SYSCALL', 1)}`];
    const groups = records(await collect(groupAuditdLines(auditdTextLines(texts))));
    expect(groups.map((r) => r.value.node)).toEqual(['a', 'b']);
  });

  it('caps the records of one event', async () => {
    const texts = Array.from({ length: 5 }, () => line('PATH', 7));
    const groups = records(
      await collect(groupAuditdLines(auditdTextLines(texts), { maxRecordsPerGroup: 2 })),
    );
    expect(groups.map((r) => (r.value.types as string[]).length)).toEqual([2, 2, 1]);
  });
});

describe('groupAuditdLines bounded memory', () => {
  /** 100,000 lines: 20,000 events of 5 records, interleaved 100 events at a time; half end with EOE. */
  function* syntheticLines(): Generator<string> {
    for (let block = 0; block < 200; block++) {
      for (let r = 0; r < 5; r++) {
        for (let e = 0; e < 100; e++) {
          const serial = block * 100 + e;
          const type = r === 0 ? 'SYSCALL' : r === 4 ? (serial % 2 === 0 ? 'EOE' : 'PROCTITLE') : 'PATH';
          yield line(
            type,
            serial,
            r === 0 ? 'arch=c000003e syscall=59 success=yes auid=1000 uid=1000' : 'item=0 name="/bin/x"',
          );
        }
      }
    }
  }

  async function run(maxOpen: number) {
    const keyOf = (text: string) => /audit\(([^)]*)\)/.exec(text)?.[1] ?? '';
    const pending = new Map<string, number>();
    let pulled = 0;
    const lineTexts = new Map<number, string>();
    async function* source() {
      for await (const l of auditdTextLines(syntheticLines())) {
        pulled++;
        if (l.text.includes('type=EOE')) lineTexts.set(l.line, l.text);
        const key = keyOf(l.text);
        pending.set(key, (pending.get(key) ?? 0) + 1);
        yield l;
      }
    }
    let groups = 0;
    let lines = 0;
    let rejected = 0;
    let maxPending = 0;
    for await (const item of groupAuditdLines(source(), { maxOpen })) {
      // A reject here is an EOE whose event was flushed early: one line, accounted for.
      const texts =
        item.kind === 'record' ? item.record.text.split('\n') : [lineTexts.get(item.reject.line) ?? ''];
      if (item.kind === 'record') groups++;
      else rejected++;
      for (const text of texts) {
        lines++;
        const key = keyOf(text);
        const left = (pending.get(key) ?? 0) - 1;
        if (left === 0) pending.delete(key);
        else pending.set(key, left);
      }
      maxPending = Math.max(maxPending, pending.size);
    }
    return { groups, lines, rejected, pulled, maxPending, leftOver: pending.size };
  }

  it('completes 100k interleaved lines, one event per serial when maxOpen allows it', async () => {
    const result = await run(10_000);
    // 299 pending: the current block of 100, plus the odd (no-EOE) events of the previous blocks
    // that wait for the 2000-line window.
    expect(result).toEqual({
      groups: 20_000,
      lines: 100_000,
      rejected: 0,
      pulled: 100_000,
      maxPending: 299,
      leftOver: 0,
    });
  });

  it('never holds more than maxOpen open events, still accounting for every line', async () => {
    const result = await run(30);
    expect(result.lines).toBe(100_000);
    expect(result.leftOver).toBe(0);
    expect(result.maxPending).toBe(30);
    expect(result.groups).toBeGreaterThan(20_000);
    expect(result.groups + result.rejected).toBeLessThanOrEqual(100_000);
  });
});
