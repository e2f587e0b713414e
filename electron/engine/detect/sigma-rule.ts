import { parseAllDocuments } from 'yaml';
import type { RuleLevel, UnsupportedRule } from '../../../shared/domain/detection.ts';
import { isRecord, levelOf, parseTimespan, text } from './rule-yaml.ts';
import type { AlertRule } from '../../../shared/domain/alert.ts';
import { parseAlertRule } from './alert-rule-file.ts';

export interface Logsource {
  product?: string;
  service?: string;
  category?: string;
}

/** A Sigma detection rule as read: its detection is compiled later (sigma-compile.ts). */
export interface SigmaRule {
  kind: 'sigma';
  file: string;
  id: string;
  title: string;
  level: RuleLevel;
  /** The name correlation rules refer to it by (else its id). */
  name?: string;
  logsource: Logsource;
  detection: Record<string, unknown>;
  condition: string;
}

export const CORRELATION_TYPES = ['event_count', 'value_count', 'temporal', 'temporal_ordered'] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

/** A Sigma correlation rule (specification 2.0): counts or orders the matches of other rules. */
export interface CorrelationRule {
  kind: 'sigma-correlation';
  file: string;
  id: string;
  title: string;
  level: RuleLevel;
  name?: string;
  type: CorrelationType;
  rules: string[];
  groupBy: string[];
  /** Epoch µs. */
  timespan: number;
  condition: { op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq'; value: number; field?: string };
  /** Per alias, the field each referenced rule calls it by. */
  aliases: Record<string, Record<string, string>>;
}

/** One of Auditscope's own rules (alert-rule-file.ts), read from the same folders. */
export interface AuditscopeRule {
  kind: 'auditscope';
  rule: AlertRule;
}

export type LoadedRule = SigmaRule | CorrelationRule;

/**
 * Reads every YAML document of a Sigma file: detection rules, correlation rules, and for
 * anything else the reason it cannot be evaluated (never dropped silently).
 */
export function parseSigmaFile(
  source: string,
  file: string,
): (LoadedRule | AuditscopeRule | UnsupportedRule)[] {
  const documents = parseAllDocuments(source, { uniqueKeys: false });
  if (!Array.isArray(documents)) return [{ file, reason: 'empty file' }];
  return documents.map((document): LoadedRule | AuditscopeRule | UnsupportedRule => {
    if (document.errors.length > 0)
      return { file, reason: `YAML: ${document.errors[0]?.message ?? 'invalid'}` };
    const doc: unknown = document.toJS({ maxAliasCount: 100 });
    if (!isRecord(doc)) return { file, reason: 'not a Sigma rule: the document is not a mapping' };
    const id = text(doc.id) ?? text(doc.name) ?? file;
    const title = text(doc.title) ?? id;
    const common = {
      file,
      id,
      title,
      level: levelOf(doc.level),
      ...(text(doc.name) ? { name: text(doc.name) } : {}),
    };
    if (doc.correlation !== undefined) return correlation(doc.correlation, common);
    // Sigma rules have no top-level `type`; Auditscope's own rules always do.
    if (doc.type !== undefined && doc.detection === undefined) return parseAlertRule(doc, common);
    if (!isRecord(doc.detection)) return { file, id, title, reason: 'not a Sigma rule: no detection' };
    const { condition, ...selections } = doc.detection;
    const conditionText = Array.isArray(condition)
      ? condition.length === 1
        ? text(condition[0])
        : undefined
      : text(condition);
    if (conditionText === undefined)
      return {
        file,
        id,
        title,
        reason: Array.isArray(condition)
          ? 'several conditions in one rule are not supported'
          : 'no condition',
      };
    const logsource = isRecord(doc.logsource) ? doc.logsource : {};
    return {
      kind: 'sigma',
      ...common,
      logsource: {
        ...(text(logsource.product) ? { product: String(logsource.product).toLowerCase() } : {}),
        ...(text(logsource.service) ? { service: String(logsource.service).toLowerCase() } : {}),
        ...(text(logsource.category) ? { category: String(logsource.category).toLowerCase() } : {}),
      },
      detection: selections,
      condition: conditionText,
    };
  });
}

function correlation(
  value: unknown,
  common: { file: string; id: string; title: string; level: RuleLevel; name?: string },
): CorrelationRule | UnsupportedRule {
  const fail = (reason: string): UnsupportedRule => ({
    file: common.file,
    id: common.id,
    title: common.title,
    reason,
  });
  if (!isRecord(value)) return fail('correlation: not a mapping');
  const type = value.type;
  if (!(CORRELATION_TYPES as readonly unknown[]).includes(type))
    return fail(
      `correlation type ${String(type)} is not supported (event_count, value_count, temporal, temporal_ordered are)`,
    );
  const rules = (Array.isArray(value.rules) ? value.rules : [value.rules]).filter(
    (r): r is string => typeof r === 'string',
  );
  if (rules.length === 0) return fail('correlation: no rules');
  const groupBy = (
    Array.isArray(value['group-by']) ? value['group-by'] : value['group-by'] ? [value['group-by']] : []
  ).map(String);
  const timespan = parseTimespan(value.timespan);
  if (timespan === undefined)
    return fail(`correlation: timespan ${String(value.timespan)} is not <number><s|m|h|d>`);
  let condition: CorrelationRule['condition'] = { op: 'gte', value: 1 };
  if (isRecord(value.condition)) {
    const { field, ...ops } = value.condition;
    const [op, bound] = Object.entries(ops)[0] ?? [];
    if (!['gt', 'gte', 'lt', 'lte', 'eq'].includes(String(op)) || typeof bound !== 'number')
      return fail('correlation: condition must be one of gt, gte, lt, lte, eq with a number');
    condition = {
      op: op as CorrelationRule['condition']['op'],
      value: bound,
      ...(field ? { field: String(field) } : {}),
    };
  } else if (type === 'event_count' || type === 'value_count')
    return fail('correlation: a count needs a condition');
  if (type === 'value_count' && condition.field === undefined)
    return fail('correlation: value_count needs condition.field');
  const aliases: CorrelationRule['aliases'] = {};
  if (isRecord(value.aliases))
    for (const [alias, mapping] of Object.entries(value.aliases))
      if (isRecord(mapping))
        aliases[alias] = Object.fromEntries(Object.entries(mapping).map(([k, v]) => [k, String(v)]));
  return {
    kind: 'sigma-correlation',
    ...common,
    type: type as CorrelationType,
    rules,
    groupBy,
    timespan,
    condition,
    aliases,
  };
}
