/**
 * Grouping of raw audit.log lines into events. The records of one event share
 * `msg=audit(<epoch>:<serial>)`, may be interleaved with other events' records and may arrive
 * out of order; multi-record events usually, but not always, end with an EOE record.
 */
import type { RecordReject, SourceRecord } from '../types.ts';
import { type AuditHeader, parseAuditFields, parseAuditHeader } from './auditd-fields.ts';
import { buildAuditdValue } from './auditd-value.ts';

/** One line of an audit.log as the line splitter found it (without its line terminator). */
export interface AuditdLine {
  text: string;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** 1-based line number. */
  line: number;
  encodingError: boolean;
  /** The line's exact bytes, when they were not valid UTF-8 (`text` is then a lossy decoding). */
  raw?: Uint8Array;
}

export interface GroupAuditdOptions {
  /** Emit an open event once this many further lines have been read since its last record. */
  window?: number;
  /** Most events kept open at once; beyond it the least recently extended one is emitted. */
  maxOpen?: number;
  /** Most records in one event; a longer run of one serial is emitted in pieces. */
  maxRecordsPerGroup?: number;
}

export type GroupedAuditd =
  { kind: 'record'; record: SourceRecord; raw?: Uint8Array } | { kind: 'reject'; reject: RecordReject };

interface OpenGroup {
  node?: string;
  epoch: string;
  serial: string;
  lines: AuditdLine[];
  headers: AuditHeader[];
  lastSeen: number;
}

/**
 * Userspace record types (audit message numbers 1100–2999) and others that are always written
 * alone: no companion record ever shares their serial, so there is nothing to wait for.
 */
const STANDALONE_PREFIXES = [
  'USER_',
  'CRED_',
  'DAEMON_',
  'SERVICE_',
  'SYSTEM_',
  'ROLE_',
  'GRP_',
  'ACCT_',
  'CRYPTO_',
  'VIRT_',
  'AUOMS_',
  'ANOM_LOGIN_',
];
const STANDALONE_TYPES = new Set([
  'ADD_USER',
  'DEL_USER',
  'ADD_GROUP',
  'DEL_GROUP',
  'CHUSER_ID',
  'CHGRP_ID',
  'USYS_CONFIG',
  'SOFTWARE_UPDATE',
  'TRUSTED_APP',
  'LABEL_LEVEL_CHANGE',
  'LABEL_OVERRIDE',
  'ANOM_ADD_ACCT',
  'ANOM_DEL_ACCT',
  'ANOM_MOD_ACCT',
  'ANOM_EXEC',
  'ANOM_MAX_DAC',
  'ANOM_MAX_MAC',
  'ANOM_AMTU_FAIL',
  'ANOM_RBAC_FAIL',
  'ANOM_RBAC_INTEGRITY_FAIL',
  'ANOM_CRYPTO_FAIL',
  'ANOM_ACCESS_FS',
  'ANOM_ROOT_TRANS',
  'RESP_ANOMALY',
  'RESP_ALERT',
  'RESP_KILL_PROC',
  'RESP_TERM_ACCESS',
  'RESP_ACCT_REMOTE',
  'RESP_ACCT_LOCK_TIMED',
  'RESP_ACCT_UNLOCK_TIMED',
  'RESP_ACCT_LOCK',
  'RESP_TERM_LOCK',
  'RESP_SEBOOL',
  'RESP_EXEC',
  'RESP_SINGLE',
  'RESP_HALT',
]);

function isStandalone(type: string): boolean {
  return STANDALONE_TYPES.has(type) || STANDALONE_PREFIXES.some((p) => type.startsWith(p));
}

const utf8 = new TextEncoder();

function rejectLine(line: AuditdLine, reason: string): GroupedAuditd {
  return {
    kind: 'reject',
    reject: {
      offset: line.offset,
      line: line.line,
      reason,
      head: utf8.encode(line.text.slice(0, 256)).subarray(0, 256),
      // The splitter gives us text, not bytes; for lines with encoding errors this is the length
      // of the lossy decoding.
      length: line.raw?.length ?? Buffer.byteLength(line.text, 'utf8'),
    },
  };
}

function toSourceRecord(group: OpenGroup): GroupedAuditd {
  const records = group.headers
    .filter((h) => h.type !== 'EOE')
    .map((h) => ({ type: h.type, fields: parseAuditFields(h.type, h.body) }));
  const parts = {
    epoch: group.epoch,
    serial: group.serial,
    records,
    ...(group.node !== undefined ? { node: group.node } : {}),
  };
  const value = buildAuditdValue(parts);
  const first = group.lines[0];
  const encodingError = group.lines.some((l) => l.encodingError);
  return {
    kind: 'record',
    // Exact bytes of the group (its lines joined by LF) when any line was not valid UTF-8.
    ...(encodingError ? { raw: joinLineBytes(group.lines) } : {}),
    record: {
      value,
      document: value,
      text: group.lines.map((l) => l.text).join('\n'),
      encodingError,
      offset: first?.offset ?? 0,
      line: first?.line ?? 1,
    },
  };
}

function joinLineBytes(lines: readonly AuditdLine[]): Uint8Array {
  return Buffer.concat(
    lines.flatMap((l, i) => [...(i > 0 ? [Buffer.from('\n')] : []), l.raw ?? Buffer.from(l.text, 'utf8')]),
  );
}

function positiveInt(value: number | undefined, fallback: number, min: number): number {
  return value !== undefined && Number.isInteger(value) && value >= min ? value : fallback;
}

/**
 * Group raw audit.log lines into events. Open groups are buffered; a group is emitted when its
 * EOE arrives, when a standalone record type arrives (USER_LOGIN, CRED_*, ADD_USER, …), when
 * more than `window` (default 2000) further lines have been read since its last record, when
 * `maxOpen` (default 10000) would be exceeded (least recently extended first), or at the end of
 * input. Groups come out in the order they complete. Blank lines are skipped; lines that are not
 * audit records, and EOE records whose event is no longer open, become rejects.
 */
export async function* groupAuditdLines(
  lines: AsyncIterable<AuditdLine>,
  opts: GroupAuditdOptions = {},
): AsyncIterable<GroupedAuditd> {
  const window = positiveInt(opts.window, 2000, 0);
  const maxOpen = positiveInt(opts.maxOpen, 10_000, 1);
  const maxRecords = positiveInt(opts.maxRecordsPerGroup, 1000, 1);
  // Map order is least recently extended first: every append re-inserts its group at the end.
  const open = new Map<string, OpenGroup>();
  let index = 0;
  for await (const line of lines) {
    index++;
    if (line.text.trim() !== '') yield* accept(line);
    for (const [key, group] of open) {
      if (index - group.lastSeen <= window) break;
      open.delete(key);
      yield toSourceRecord(group);
    }
  }
  for (const group of open.values()) yield toSourceRecord(group);
  open.clear();

  function* accept(line: AuditdLine): Generator<GroupedAuditd> {
    const header = parseAuditHeader(line.text);
    if (!header) {
      yield rejectLine(line, 'not an audit record: expected "type=<TYPE> msg=audit(<time>:<serial>): …"');
      return;
    }
    const key = `${header.node ?? ''}\u0000${header.epoch}:${header.serial}`;
    let group = open.get(key);
    if (header.type === 'EOE') {
      if (!group) {
        yield rejectLine(
          line,
          `EOE record of an event that is not open (audit(${header.epoch}:${header.serial}) was already emitted or never started)`,
        );
        return;
      }
      open.delete(key);
      group.lines.push(line);
      yield toSourceRecord(group);
      return;
    }
    if (group) {
      open.delete(key);
    } else {
      group = { epoch: header.epoch, serial: header.serial, lines: [], headers: [], lastSeen: index };
      if (header.node !== undefined) group.node = header.node;
    }
    group.lines.push(line);
    group.headers.push(header);
    group.lastSeen = index;
    if (isStandalone(header.type) || group.headers.length >= maxRecords) {
      yield toSourceRecord(group);
      return;
    }
    open.set(key, group);
    if (open.size > maxOpen) {
      const oldest = open.entries().next().value;
      if (oldest) {
        open.delete(oldest[0]);
        yield toSourceRecord(oldest[1]);
      }
    }
  }
}
