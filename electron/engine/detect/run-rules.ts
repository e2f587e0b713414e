import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DetectionReport, RuleResult, UnsupportedRule } from '../../../shared/domain/detection.ts';
import { lastEventRowid, type CaseDb } from '../store/case-db.ts';
import { deletionsMark } from '../store/delete-events.ts';
import type { AlertRule } from '../../../shared/domain/alert.ts';
import { compileRule, fieldValue, type CompiledRule } from './sigma-match.ts';
import { SigmaError } from './sigma-condition.ts';
import { Tally } from './live-scan.ts';
import { LiveCorrelations } from './live-correlations.ts';
import { FIRST_GRACE_MICROS, longerGrace } from './live-rule-state.ts';
import { parseSigmaFile, type CorrelationRule, type LoadedRule, type SigmaRule } from './sigma-rule.ts';

/** Every rule of a folder of Sigma YAML (SigmaHQ layout: any depth), in path order. */
export async function loadRuleFolder(folder: string): Promise<LoadedRules> {
  const files = (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  const loaded: LoadedRules = { rules: [], alertRules: [], unsupported: [] };
  for (const file of files) {
    for (const item of parseSigmaFile(await readFile(file, 'utf8'), file)) {
      if (!('kind' in item)) loaded.unsupported.push(item);
      else if (item.kind === 'auditscope') loaded.alertRules.push(item.rule);
      else loaded.rules.push(item);
    }
  }
  return loaded;
}

/** What rule folders hold: Sigma rules, Auditscope's own rules, and what could not be read. */
export interface LoadedRules {
  rules: LoadedRule[];
  alertRules: AlertRule[];
  unsupported: UnsupportedRule[];
}

export interface Match {
  seq: number;
  id: string;
  time: number;
  /** The values of the fields correlations group or count by, as read from the event. */
  fields?: Record<string, unknown>;
}

function parseRecord(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

const byTime = (a: Match, b: Match): number => a.time - b.time || a.seq - b.seq;

/**
 * The rules of one source, indexed by their guards (sigma-match.ts): an event is tested only
 * against the rules whose guard field holds one of its values, and the rules without a guard.
 */
class SourceRules {
  private readonly unguarded: CompiledRule[] = [];
  private readonly guarded = new Map<string, Map<string, CompiledRule[]>>();

  add(rule: CompiledRule): void {
    if (!rule.guard) {
      this.unguarded.push(rule);
      return;
    }
    const byValue = this.guarded.get(rule.guard.field) ?? new Map<string, CompiledRule[]>();
    for (const value of rule.guard.values) byValue.set(value, [...(byValue.get(value) ?? []), rule]);
    this.guarded.set(rule.guard.field, byValue);
  }

  candidates(doc: unknown): CompiledRule[] {
    if (this.guarded.size === 0) return this.unguarded;
    // Most events hit no guard: they get the unguarded list as it is, with nothing allocated.
    let found: Set<CompiledRule> | undefined;
    for (const [field, byValue] of this.guarded) {
      const value = fieldValue(doc, field);
      for (const v of Array.isArray(value) ? value : [value]) {
        if (v === undefined || v === null) continue;
        for (const rule of byValue.get(String(v).toLowerCase()) ?? [])
          (found ??= new Set(this.unguarded)).add(rule);
      }
    }
    return found ? [...found] : this.unguarded;
  }
}

/**
 * Sigma rules over a case, batch or as it grows: each event is read and parsed once and tested
 * against every detection rule of its source (sigma-match.ts); `advance` reads only the events
 * added since the last call (rowids only grow; deletions start it again), and `report` counts or
 * orders the matches for the correlation rules. What cannot be evaluated is reported with the reason.
 */
export class SigmaEngine {
  private readonly rules: readonly LoadedRule[];
  private readonly unsupported: UnsupportedRule[];
  private readonly byName = new Map<string, SigmaRule>();
  private readonly compiled = new Map<SigmaRule, CompiledRule>();
  /** The fields each rule's matches must carry for the correlations built on it. */
  private readonly captures = new Map<SigmaRule, Set<string>>();
  private readonly bySource = new Map<string, SourceRules>();
  private matches = new Map<SigmaRule, Match[]>();
  /**
   * A live engine's rules: what their matches add up to, instead of the matches (a tail's
   * notifications need no more; the matches of a long tail do not fit). Only the rules that
   * correlations read keep their matches, as far back as the correlations need (`correlations`).
   */
  private tallies = new Map<SigmaRule, Tally>();
  private readonly live: boolean;
  private correlations: LiveCorrelations | undefined;
  /** How many times a live engine read the case again for a match that came too late. */
  rebuilds = 0;
  /** The rules with matches since the last `touchedTallies`. */
  private touched = new Set<SigmaRule>();
  private lastRowid = 0;
  private deletions: unknown;

  constructor(
    loaded: { rules: LoadedRule[]; unsupported: UnsupportedRule[] },
    // guards off: every event against every rule of its source (tests compare the two); live:
    // see `tallies`.
    options: { guards?: boolean; live?: boolean } = {},
  ) {
    this.rules = loaded.rules;
    this.live = options.live ?? false;
    this.unsupported = [...loaded.unsupported];
    for (const rule of loaded.rules) {
      if (rule.kind !== 'sigma') continue;
      this.byName.set(rule.id, rule);
      if (rule.name) this.byName.set(rule.name, rule);
      try {
        this.compiled.set(rule, compileRule(rule));
      } catch (error) {
        if (!(error instanceof SigmaError)) throw error;
        this.unsupported.push({ file: rule.file, id: rule.id, title: rule.title, reason: error.message });
      }
    }
    for (const rule of loaded.rules) {
      if (rule.kind !== 'sigma-correlation') continue;
      for (const name of rule.rules) {
        const base = this.byName.get(name);
        if (!base) continue;
        const fields = this.captures.get(base) ?? new Set<string>();
        for (const field of [...rule.groupBy, ...(rule.condition.field ? [rule.condition.field] : [])])
          fields.add(rule.aliases[field]?.[name] ?? field);
        this.captures.set(base, fields);
      }
    }
    for (const c of this.compiled.values())
      for (const source of c.sources) {
        const rules = this.bySource.get(source) ?? new SourceRules();
        rules.add(options.guards === false ? { ...c, guard: undefined } : c);
        this.bySource.set(source, rules);
      }
    this.reset();
  }

  private reset(graceMicros = FIRST_GRACE_MICROS): void {
    const kept = [...this.compiled.keys()].filter((rule) => !this.live || this.captures.has(rule));
    this.matches = new Map(kept.map((rule) => [rule, []]));
    this.tallies = new Map(this.live ? [...this.compiled.keys()].map((rule) => [rule, new Tally()]) : []);
    this.correlations = this.live
      ? new LiveCorrelations(
          this.rules.flatMap((rule) =>
            rule.kind === 'sigma-correlation'
              ? [{ rule, bases: rule.rules.flatMap((name) => this.byName.get(name) ?? []) }]
              : [],
          ),
          graceMicros,
        )
      : undefined;
    this.lastRowid = 0;
  }

  /** Tests the events added since the last call. */
  advance(db: CaseDb): void {
    const deletions = deletionsMark(db);
    if (deletions !== this.deletions) {
      this.deletions = deletions;
      this.reset();
    }
    const top = lastEventRowid(db);
    if (top <= this.lastRowid || this.bySource.size === 0) {
      this.lastRowid = Math.max(this.lastRowid, top);
      return;
    }
    const sources = [...this.bySource.keys()];
    const scan = db
      .prepare(
        // From the first event, `+rowid` keeps SQLite scanning the table rather than walking the
        // rowid range; after that, the new rows are found by rowid.
        `SELECT rowid, event_id, time, source, document, raw FROM events
          WHERE ${this.lastRowid === 0 ? '+rowid' : 'rowid'} > ? AND +rowid <= ?
            AND source IN (${sources.map(() => '?').join(', ')})`,
      )
      .raw();
    for (const [seq, id, time, source, document, raw] of scan.iterate(
      this.lastRowid,
      top,
      ...sources,
    ) as Iterable<[number, string, number, string, string | null, string]>) {
      const event = { doc: parseRecord(document ?? raw), raw };
      for (const c of this.bySource.get(source)?.candidates(event.doc) ?? []) {
        if (!c.matches(event)) continue;
        this.touched.add(c.rule);
        this.tallies.get(c.rule)?.add(time, seq);
        const found = this.matches.get(c.rule);
        if (!found) continue;
        this.correlations?.take(c.rule, time);
        const capture = this.captures.get(c.rule);
        found.push({
          seq,
          id,
          time,
          ...(capture
            ? { fields: Object.fromEntries([...capture].map((f) => [f, fieldValue(event.doc, f)])) }
            : {}),
        });
      }
    }
    this.lastRowid = top;
    const correlations = this.correlations;
    if (!correlations) return;
    if (correlations.lateBy > 0) {
      // A match too late for what the correlations settled: all again, with a longer grace.
      this.rebuilds++;
      this.reset(longerGrace(correlations.graceMicros, correlations.lateBy));
      this.advance(db);
      return;
    }
    correlations.settle((rule) => this.correlate(rule), this.matches);
  }

  /** Matches kept for correlations (what the bound tests measure). */
  kept(): number {
    let n = 0;
    for (const found of this.matches.values()) n += found.length;
    return n;
  }

  /** A correlation's hits over the matches kept (none where it names a rule that cannot run). */
  private correlate(rule: CorrelationRule): Match[] {
    try {
      return correlate(rule, this.byName, this.matches);
    } catch (error) {
      // Reported by the Detections view (`report`); a notification has nothing to say of it.
      if (!(error instanceof SigmaError)) throw error;
      return [];
    }
  }

  /** Every rule's matches so far, the correlations over them, and what could not be evaluated. */
  report(started = Date.now()): DetectionReport {
    return this.reportOf(() => true, started);
  }

  /**
   * A live engine's answer to what the matches since the last call changed: per rule that matched,
   * and per correlation built on one, what all its matches add up to.
   */
  touchedTallies(): { rule: LoadedRule; tally: Tally }[] {
    const touched = this.touched;
    this.touched = new Set();
    const names = new Set([...touched].flatMap((rule) => [rule.id, ...(rule.name ? [rule.name] : [])]));
    const correlations = this.correlations;
    if (!correlations) throw new Error('an engine that is not live keeps matches: ask report');
    const tallies: { rule: LoadedRule; tally: Tally }[] = [];
    for (const rule of touched) tallies.push({ rule, tally: this.tallies.get(rule) ?? new Tally() });
    for (const rule of this.rules)
      if (rule.kind === 'sigma-correlation' && rule.rules.some((name) => names.has(name)))
        tallies.push({ rule, tally: correlations.tally(rule, this.correlate(rule)) });
    return tallies;
  }

  private reportOf(include: (rule: LoadedRule) => boolean, started = Date.now()): DetectionReport {
    if (this.live) throw new Error('a live engine keeps tallies, not matches: ask touchedTallies');
    const unsupported = [...this.unsupported];
    const results: RuleResult[] = [];
    for (const [rule, found] of this.matches) {
      if (!include(rule)) continue;
      // Events can arrive out of time order: matches are put in order here, as a batch scan would.
      found.sort(byTime);
      results.push(result(rule, found));
    }
    for (const rule of this.rules) {
      if (rule.kind !== 'sigma-correlation' || !include(rule)) continue;
      try {
        results.push(result(rule, correlate(rule, this.byName, this.matches)));
      } catch (error) {
        if (!(error instanceof SigmaError)) throw error;
        unsupported.push({ file: rule.file, id: rule.id, title: rule.title, reason: error.message });
      }
    }
    return { rules: results, unsupported, elapsedMs: Date.now() - started };
  }
}

/** Sigma rules over the whole case in one pass (see SigmaEngine). */
export function runRules(
  db: CaseDb,
  loaded: { rules: LoadedRule[]; unsupported: UnsupportedRule[] },
  options: { guards?: boolean } = {},
): DetectionReport {
  const started = Date.now();
  const engine = new SigmaEngine(loaded, options);
  engine.advance(db);
  return engine.report(started);
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
    seqs: found.map((m) => m.seq),
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
export function correlate(
  rule: CorrelationRule,
  byName: Map<string, SigmaRule>,
  matches: Map<SigmaRule, Match[]>,
): Match[] {
  const tagged: Tagged[] = [];
  rule.rules.forEach((name, index) => {
    const base = byName.get(name);
    const found = base && matches.get(base);
    if (!base || !found)
      throw new SigmaError(`correlation names ${name}, which is not a rule that could be evaluated`);
    const fieldOf = (field: string): string => rule.aliases[field]?.[name] ?? field;
    for (const m of found) {
      const group = JSON.stringify(rule.groupBy.map((f) => m.fields?.[fieldOf(f)] ?? null));
      const value = rule.condition.field ? m.fields?.[fieldOf(rule.condition.field)] : undefined;
      tagged.push({
        ...m,
        rule: index,
        group,
        ...(value === undefined || value === null ? {} : { value: String(value) }),
      });
    }
  });
  const groups = new Map<string, Tagged[]>();
  for (const t of tagged) {
    const group = groups.get(t.group);
    if (group) group.push(t);
    else groups.set(t.group, [t]);
  }
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
