/**
 * The queryable object of one auditd event (`SourceRecord.value` / `document`): every record,
 * plus the main record's fields flattened on top so rules can say `exe`, `syscall`, `key`, `a0`.
 */
import type { JsonObject } from '../types.ts';
import type { AuditFields, AuditRecord } from './auditd-fields.ts';

/** What a grouped event is made of. */
export interface AuditEventParts {
  node?: string;
  epoch: string;
  serial: string;
  records: AuditRecord[];
}

const EXECVE_ARGS = /^(?:argc|a\d{1,6}|a\d{1,6}_len)$/;

function mainRecord(records: readonly AuditRecord[]): AuditRecord | undefined {
  return records.find((r) => r.type === 'SYSCALL') ?? records[0];
}

/**
 * Build the null-prototype value of an event. Top-level fields: the main record's (SYSCALL if
 * present, else the first), then any field of the other records not already set (first wins),
 * except that `name` is the first PATH's name and `a0…aN`/`argc` are EXECVE's arguments (the
 * command line is what rules mean by `a0`; SYSCALL's register values stay in `records`).
 * `type`, `serial`, `epoch`, `node`, `types` and `records` are set last so input cannot fake them.
 */
export function buildAuditdValue(parts: AuditEventParts): JsonObject {
  const value = Object.create(null) as JsonObject;
  const main = mainRecord(parts.records);
  const execve = parts.records.find((r) => r.type === 'EXECVE');
  const ordered = main ? [main, ...parts.records.filter((r) => r !== main)] : [];
  for (const record of ordered) {
    for (const [k, v] of Object.entries(record.fields)) {
      // With an EXECVE, a0… are its arguments only: SYSCALL's registers must not show through
      // where the command has fewer arguments.
      if (execve && EXECVE_ARGS.test(k) && record !== execve) continue;
      if (!Object.hasOwn(value, k)) value[k] = v;
    }
  }
  const path = parts.records.find((r) => r.type === 'PATH' && r.fields.name !== undefined);
  if (path?.fields.name !== undefined) value.name = path.fields.name;
  value.type = main?.type ?? 'UNKNOWN';
  value.serial = parts.serial;
  value.epoch = parts.epoch;
  if (parts.node !== undefined) value.node = parts.node;
  value.types = parts.records.map((r) => r.type);
  value.records = parts.records.map((r) => {
    const rec = Object.create(null) as JsonObject;
    rec.type = r.type;
    rec.fields = r.fields;
    return rec;
  });
  return value;
}

/** A read-only view of an event value for normalization, after checking its shape. */
export interface AuditEventView {
  epoch: string;
  serial: string;
  type: string;
  records: AuditRecord[];
  /** A top-level string field, or undefined. */
  get(key: string): string | undefined;
}

function isFields(v: unknown): v is AuditFields {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((x) => typeof x === 'string')
  );
}

/** The records of a value when it has the shape `buildAuditdValue` makes, else undefined. */
export function auditRecordsOf(value: JsonObject): AuditRecord[] | undefined {
  const records = value.records;
  if (!Array.isArray(records) || records.length === 0) return undefined;
  const out: AuditRecord[] = [];
  for (const r of records as unknown[]) {
    if (typeof r !== 'object' || r === null) return undefined;
    const type = (r as JsonObject).type;
    const fields = (r as JsonObject).fields;
    if (typeof type !== 'string' || !isFields(fields)) return undefined;
    out.push({ type, fields });
  }
  return out;
}

/** View a value made by `buildAuditdValue`; undefined when it does not have that shape. */
export function viewAuditdValue(value: JsonObject): AuditEventView | undefined {
  const records = auditRecordsOf(value);
  const { epoch, serial, type } = value;
  if (!records || typeof epoch !== 'string' || typeof serial !== 'string' || typeof type !== 'string')
    return undefined;
  return {
    epoch,
    serial,
    type,
    records,
    get(key: string): string | undefined {
      const v = Object.hasOwn(value, key) ? value[key] : undefined;
      return typeof v === 'string' ? v : undefined;
    },
  };
}
