import { ALERT_RULE_TYPES, type AlertRule, type AlertRuleType } from '../../../shared/domain/alert.ts';
import type { RuleLevel, UnsupportedRule } from '../../../shared/domain/detection.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import { parseRawPath, resolveField } from '../../../shared/query/fields.ts';
import { isRecord, parseTimespan, text } from './rule-yaml.ts';
import type { AuditscopeRule } from './sigma-rule.ts';

/** Field names a rule may group or count by: normalized fields, or raw vendor paths. */
function fieldProblem(name: string): string | undefined {
  if (resolveField(name)) return undefined;
  const path = parseRawPath(name);
  return path.ok ? undefined : `${name}: ${path.message}`;
}

function searchProblem(search: string): string | undefined {
  const parsed = parseSearch(search);
  return parsed.ok ? undefined : `search ${JSON.stringify(search)}: ${parsed.error.message}`;
}

const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/**
 * One of Auditscope's own rules from YAML (documented in resources/rules/README.md):
 *
 *   title: Failed sign-ins from one IP
 *   id: acme.failed-sign-ins
 *   level: high
 *   type: threshold          # event | threshold | distinct | sequence
 *   search: kind:login-failed
 *   group_by: ip
 *   threshold: 5
 *   within: 1h
 *
 * Everything is checked here, so a rule that loads is a rule that runs; anything wrong is
 * reported with the reason.
 */
export function parseAlertRule(
  doc: Record<string, unknown>,
  common: { file: string; id: string; title: string; level: RuleLevel },
): AuditscopeRule | UnsupportedRule {
  const fail = (reason: string): UnsupportedRule => ({ ...common, reason });
  const type = doc.type;
  if (!(ALERT_RULE_TYPES as readonly unknown[]).includes(type))
    return fail(`type ${String(type)} is not one of ${ALERT_RULE_TYPES.join(', ')}`);
  const groupBy = list(doc.group_by).map(String);
  for (const field of groupBy) {
    const problem = fieldProblem(field);
    if (problem) return fail(`group_by ${problem}`);
  }
  const rule: AlertRule = {
    id: common.id,
    title: common.title,
    level: common.level,
    file: common.file,
    type: type as AlertRuleType,
    groupBy,
    ...(text(doc.description) ? { description: String(doc.description) } : {}),
  };
  if (rule.type !== 'event') {
    const within = parseTimespan(doc.within);
    if (within === undefined) return fail(`within ${String(doc.within)} is not <number><s|m|h|d>`);
    rule.within = within;
  }
  if (rule.type === 'sequence') {
    const steps = list(doc.steps);
    if (steps.length < 2) return fail('a sequence needs two or more steps');
    rule.steps = [];
    for (const step of steps) {
      const search = isRecord(step) ? text(step.search) : text(step);
      if (!search) return fail('every step needs a search');
      const problem = searchProblem(search);
      if (problem) return fail(problem);
      const min = isRecord(step) && step.min !== undefined ? Number(step.min) : 1;
      if (!Number.isInteger(min) || min < 1)
        return fail(`step min ${String(step)} must be a whole number ≥ 1`);
      rule.steps.push({ search, min });
    }
    return { kind: 'auditscope', rule };
  }
  const search = text(doc.search);
  if (!search) return fail('no search: the events the rule is about');
  const problem = searchProblem(search);
  if (problem) return fail(problem);
  rule.search = search;
  if (rule.type === 'threshold' || rule.type === 'distinct') {
    const threshold = Number(doc.threshold);
    if (!Number.isInteger(threshold) || threshold < 1)
      return fail(`threshold ${String(doc.threshold)} must be a whole number ≥ 1`);
    rule.threshold = threshold;
  }
  if (rule.type === 'distinct') {
    const distinct = text(doc.distinct);
    if (!distinct) return fail('a distinct rule needs `distinct`: the field whose values it counts');
    const fieldError = fieldProblem(distinct);
    if (fieldError) return fail(`distinct ${fieldError}`);
    rule.distinct = distinct;
  }
  return { kind: 'auditscope', rule };
}
