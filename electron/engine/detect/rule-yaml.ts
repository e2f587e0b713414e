import { RULE_LEVELS, type RuleLevel } from '../../../shared/domain/detection.ts';

/** Reading the values of rule YAML (Sigma's and Auditscope's own) leniently but never wrongly. */

const TIMESPAN = /^(\d+)([smhd])$/;
const UNIT_MICROS: Record<string, number> = { s: 1e6, m: 60e6, h: 3600e6, d: 86_400e6 };

/** `10m`, `24h`, `7d` in epoch µs; undefined when it is not <number><s|m|h|d>. */
export function parseTimespan(value: unknown): number | undefined {
  const span = TIMESPAN.exec(String(value ?? '').trim());
  return span ? Number(span[1]) * (UNIT_MICROS[span[2] as string] as number) : undefined;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function levelOf(value: unknown): RuleLevel {
  return (RULE_LEVELS as readonly unknown[]).includes(value) ? (value as RuleLevel) : 'informational';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
