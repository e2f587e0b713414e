import { z } from 'zod';

export const RULE_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export const RuleLevel = z.enum(RULE_LEVELS);
export type RuleLevel = z.infer<typeof RuleLevel>;

/** One rule's outcome over a case: what `auditscope detect --json` prints per rule. */
export const RuleResult = z.object({
  id: z.string(),
  title: z.string(),
  level: RuleLevel,
  /** Where the rule was read from. */
  file: z.string(),
  kind: z.enum(['sigma', 'sigma-correlation', 'event', 'threshold', 'distinct', 'sequence']),
  matches: z.number().int(),
  /** The matching events' ids, in time order. */
  eventIds: z.array(z.string()),
  /** The same events' positions in this case (to show them in the workspace). */
  seqs: z.array(z.number().int()),
});
export type RuleResult = z.infer<typeof RuleResult>;

/** A rule that was read but cannot be evaluated, and why: never skipped silently. */
export const UnsupportedRule = z.object({
  file: z.string(),
  id: z.string().optional(),
  title: z.string().optional(),
  reason: z.string(),
});
export type UnsupportedRule = z.infer<typeof UnsupportedRule>;

export const DetectionReport = z.object({
  rules: z.array(RuleResult),
  unsupported: z.array(UnsupportedRule),
  elapsedMs: z.number(),
});
export type DetectionReport = z.infer<typeof DetectionReport>;
