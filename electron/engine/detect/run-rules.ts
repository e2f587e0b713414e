import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DetectionReport, RuleResult, UnsupportedRule } from '../../../shared/domain/detection.ts';
import { toJsonPath } from '../query/compile-sqlite.ts';
import type { CaseDb } from '../store/case-db.ts';
import { compileSigma } from './sigma-compile.ts';
import { SigmaError } from './sigma-condition.ts';
import { parseSigmaFile, type CorrelationRule, type LoadedRule, type SigmaRule } from './sigma-rule.ts';

/** Every rule of a folder of Sigma YAML (SigmaHQ layout: any depth), in path order. */
export async function loadRuleFolder(
  folder: string,
): Promise<{ rules: LoadedRule[]; unsupported: UnsupportedRule[] }> {
  const files = (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  const rules: LoadedRule[] = [];
  const unsupported: UnsupportedRule[] = [];
  for (const file of files) {
    for (const item of parseSigmaFile(await readFile(file, 'utf8'), file)) {
      if ('kind' in item) rules.push(item);
      else unsupported.push(item);
    }
  }
  return { rules, unsupported };
}

interface Match {
  seq: number;
  id: string;
  time: number;
}

/**
 * Runs rules over a case: each detection rule as one SQL query (sigma-compile.ts), then the
 * correlation rules over the matches of the rules they name. What cannot be evaluated is
 * reported with the reason.
 */
export function runRules(
  db: CaseDb,
  loaded: { rules: LoadedRule[]; unsupported: UnsupportedRule[] },
): DetectionReport {
  const started = Date.now();
  const unsupported = [...loaded.unsupported];
  const results: RuleResult[] = [];
  const byName = new Map<string, SigmaRule>();
  const matches = new Map<SigmaRule, Match[]>();
  const where = new Map<SigmaRule, { text: string; params: (string | number)[] }>();
  for (const rule of loaded.rules) {
    if (rule.kind !== 'sigma') continue;
    byName.set(rule.id, rule);
    if (rule.name) byName.set(rule.name, rule);
    try {
      const compiled = compileSigma(rule);
      const found = db
        .prepare(
          `SELECT rowid AS seq, event_id AS id, time FROM events WHERE ${compiled.text} ORDER BY time, rowid`,
        )
        .all(...compiled.params) as Match[];
      where.set(rule, compiled);
      matches.set(rule, found);
      results.push(result(rule, found));
    } catch (error) {
      if (!(error instanceof SigmaError) && !(error as Error).message.includes('JSON path')) throw error;
      unsupported.push({ file: rule.file, id: rule.id, title: rule.title, reason: (error as Error).message });
    }
  }
  for (const rule of loaded.rules) {
    if (rule.kind !== 'sigma-correlation') continue;
    try {
      const found = correlate(db, rule, byName, where);
      results.push(result(rule, found));
    } catch (error) {
      if (!(error instanceof SigmaError)) throw error;
      unsupported.push({ file: rule.file, id: rule.id, title: rule.title, reason: error.message });
    }
  }
  return { rules: results, unsupported, elapsedMs: Date.now() - started };
}

function result(rule: LoadedRule, found: Match[]): RuleResult {
  return {
    id: rule.id,
    title: rule.title,
    level: rule.level,
    file: rule.file,
    kind: rule.kind,
    matches: found.length,
    eventIds: found.map((m) => m.id),
  };
}

interface Tagged extends Match {
  rule: number;
  group: string;
  value?: string;
}

/**
 * A correlation over the named rules' matches, per group-by key, in windows of `timespan`:
 * event_count (how many), value_count (how many distinct values of a field), temporal (all the
 * rules matched within the window), temporal_ordered (and in the order named). The events of
 * every window that holds are the correlation's matches.
 */
function correlate(
  db: CaseDb,
  rule: CorrelationRule,
  byName: Map<string, SigmaRule>,
  where: Map<SigmaRule, { text: string; params: (string | number)[] }>,
): Match[] {
  const tagged: Tagged[] = [];
  rule.rules.forEach((name, index) => {
    const base = byName.get(name);
    const compiled = base && where.get(base);
    if (!base || !compiled)
      throw new SigmaError(`correlation names ${name}, which is not a rule that could be evaluated`);
    const fieldOf = (field: string): string => rule.aliases[field]?.[name] ?? field;
    const fields = [
      ...rule.groupBy.map(fieldOf),
      ...(rule.condition.field ? [fieldOf(rule.condition.field)] : []),
    ];
    const extract = fields.map(
      () => `json_extract(coalesce(events.document, iif(json_valid(events.raw), events.raw, '{}')), ?)`,
    );
    const rows = db
      .prepare(
        `SELECT rowid AS seq, event_id AS id, time${extract.map((e, i) => `, ${e} AS f${i}`).join('')}
           FROM events WHERE ${compiled.text} ORDER BY time, rowid`,
      )
      .all(...fields.map((f) => toJsonPath(f)), ...compiled.params) as (Match & Record<string, unknown>)[];
    for (const row of rows) {
      const group = JSON.stringify(rule.groupBy.map((_, i) => row[`f${i}`] ?? null));
      const value = rule.condition.field ? row[`f${rule.groupBy.length}`] : undefined;
      tagged.push({
        seq: row.seq,
        id: row.id,
        time: row.time,
        rule: index,
        group,
        ...(value === undefined || value === null ? {} : { value: String(value) }),
      });
    }
  });
  const groups = new Map<string, Tagged[]>();
  for (const t of tagged) groups.set(t.group, [...(groups.get(t.group) ?? []), t]);
  const hits = new Map<number, Match>();
  for (const events of groups.values()) {
    events.sort((a, b) => a.time - b.time || a.seq - b.seq);
    // Each window starts at an event and spans `timespan`.
    for (let start = 0; start < events.length; start++) {
      const first = events[start] as Tagged;
      let end = start;
      while (end + 1 < events.length && (events[end + 1] as Tagged).time - first.time <= rule.timespan) end++;
      const window = events.slice(start, end + 1);
      if (holds(rule, window))
        for (const e of window) hits.set(e.seq, { seq: e.seq, id: e.id, time: e.time });
    }
  }
  return [...hits.values()].sort((a, b) => a.time - b.time || a.seq - b.seq);
}

function holds(rule: CorrelationRule, window: Tagged[]): boolean {
  const compare = (n: number): boolean => {
    const { op, value } = rule.condition;
    return op === 'gt'
      ? n > value
      : op === 'gte'
        ? n >= value
        : op === 'lt'
          ? n < value
          : op === 'lte'
            ? n <= value
            : n === value;
  };
  if (rule.type === 'event_count') return compare(window.length);
  if (rule.type === 'value_count')
    return compare(new Set(window.flatMap((e) => (e.value === undefined ? [] : [e.value]))).size);
  if (rule.type === 'temporal') return rule.rules.every((_, i) => window.some((e) => e.rule === i));
  // temporal_ordered: the rules' matches in the order named.
  let next = 0;
  for (const e of window) if (e.rule === next) next++;
  return next === rule.rules.length;
}
