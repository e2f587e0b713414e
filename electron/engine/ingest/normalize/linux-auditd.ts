/**
 * Linux audit normalizers: raw audit.log events (grouped by `groupAuditdLines`) and the
 * Azure Log Analytics Syslog rows that carry Microsoft auoms records in `SyslogMessage`.
 */
import type { NormalizedEvent } from '../../../../shared/domain/audit-event.ts';
import { type JsonObject, type Normalizer, RecordError, type SourceRecord } from '../types.ts';
import { parseAuditFields, parseAuditHeader } from './auditd-fields.ts';
import { mapAuditEvent } from './auditd-map.ts';
import { auditRecordsOf, buildAuditdValue, viewAuditdValue } from './auditd-value.ts';

export { groupAuditdLines } from './auditd-grouping.ts';
export type { AuditdLine, GroupAuditdOptions, GroupedAuditd } from './auditd-grouping.ts';

/** Raw audit.log events; `record.value` is what `groupAuditdLines` made. */
export const linuxAuditdNormalizer: Normalizer = {
  format: 'linux.auditd',
  label: 'Linux audit (auditd)',
  detect(value: JsonObject): number {
    return auditRecordsOf(value) ? 1 : 0;
  },
  normalize(record: SourceRecord): NormalizedEvent {
    const view = viewAuditdValue(record.value);
    if (!view) throw new RecordError('not a grouped auditd event (no records/epoch/serial)');
    return mapAuditEvent(view);
  },
};

function syslogMessageOf(value: JsonObject): string | undefined {
  const msg = Object.hasOwn(value, 'SyslogMessage') ? value.SyslogMessage : undefined;
  return typeof msg === 'string' ? msg : undefined;
}

/**
 * Parse an auoms Syslog row into the same event value a raw audit.log group gets: one record,
 * its fields flattened on top. Exposed so the pipeline can offer the fields to rule matching.
 */
export function auomsEventValue(value: JsonObject): JsonObject | undefined {
  const message = syslogMessageOf(value);
  const header = message !== undefined ? parseAuditHeader(message) : undefined;
  if (!header) return undefined;
  const fields = parseAuditFields(header.type, header.body, true);
  // auoms' `node=` is inside the body, not a prefix like auditd's.
  const node = header.node ?? fields.node;
  return buildAuditdValue({
    epoch: header.epoch,
    serial: header.serial,
    records: [{ type: header.type, fields }],
    ...(node !== undefined ? { node } : {}),
  });
}

/** Azure Log Analytics `Syslog` rows whose message is a Microsoft auoms audit record. */
export const auomsSyslogNormalizer: Normalizer = {
  format: 'linux.auditd',
  label: 'Linux audit (auoms via Azure Syslog)',
  detect(value: JsonObject): number {
    const msg = syslogMessageOf(value);
    return msg !== undefined && msg.includes('audit(') && msg.includes('type=') ? 1 : 0;
  },
  normalize(record: SourceRecord): NormalizedEvent {
    const eventValue = auomsEventValue(record.value);
    const view = eventValue ? viewAuditdValue(eventValue) : undefined;
    if (!view)
      throw new RecordError(
        'SyslogMessage is not an auoms audit record ("type=… audit(<time>:<serial>): …")',
      );
    const hostIp = Object.hasOwn(record.value, 'HostIP') ? record.value.HostIP : undefined;
    return mapAuditEvent(view, typeof hostIp === 'string' ? hostIp : undefined);
  },
};
