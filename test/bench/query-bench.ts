import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CaseSession } from '../../electron/engine/case-session.ts';
import { loadRuleFolder, runRules } from '../../electron/engine/detect/run-rules.ts';
import { AlertEngine } from '../../electron/engine/detect/alert-rules.ts';
import { dashboard } from '../../electron/engine/query/dashboard.ts';
import { builtInRules, DEFAULT_DETECTION_SETTINGS } from '../../shared/domain/detection-settings.ts';
import { SIGMA_RULES } from '../support/paths.ts';
import { openCaseForReading } from '../../electron/engine/store/case-db.ts';
import { CaseQueries } from '../../electron/engine/query/case-queries.ts';
import { parseSearch } from '../../shared/query/parse-search.ts';
import type { EventQuery } from '../../shared/domain/query.ts';
import { prng } from './generate-cloudtrail.ts';
import { summarize, timeMs } from './stats.ts';

const REPS = 15;
const SLOW_REPS = 3;

async function sigmaMs(
  db: ReturnType<typeof openCaseForReading>,
): Promise<ReturnType<typeof summarize> & { rules: number }> {
  const loaded = await loadRuleFolder(SIGMA_RULES);
  const samples: number[] = [];
  for (let i = 0; i < SLOW_REPS; i++) samples.push(timeMs(() => runRules(db, loaded))[1]);
  return { ...summarize(samples), rules: loaded.rules.length };
}

/** The case report (HTML) of the whole case through a session: data, chart, custody re-hashing the input. */
async function reportMs(casePath: string): Promise<ReturnType<typeof summarize>> {
  const session = await CaseSession.open(casePath, { readOnly: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'auditscope-bench-'));
  try {
    const samples: number[] = [];
    for (let i = 0; i < SLOW_REPS; i++) {
      const start = performance.now();
      await session.exportEvents(
        {},
        { file: path.join(dir, `report-${i}.html`), format: 'html', template: 'case' },
      );
      samples.push(performance.now() - start);
    }
    return summarize(samples);
  } finally {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function search(text: string): EventQuery {
  const parsed = parseSearch(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { filter: parsed.filter, order: 'desc' };
}

/** Query latencies on a built case: in the engine (same thread as SQLite), medians of REPS runs. */
export async function benchQueries(casePath: string) {
  // Reopen to first page, through the real session (threads, RPC), cold process state each time.
  const reopen: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const session = await CaseSession.open(casePath, { readOnly: true });
    const handle = await session.read.openResult({ order: 'desc' });
    await session.read.rows(handle, 0, 200);
    reopen.push(performance.now() - start);
    await session.close();
  }

  // The same in the engine alone: open the file, first page (what a warm app pays per case switch).
  const reopenEngine: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const reader = openCaseForReading(casePath);
    const engine = new CaseQueries(reader);
    engine.rows(engine.openResult({ order: 'desc' }), 0, 200);
    reopenEngine.push(performance.now() - start);
    reader.close();
  }

  const db = openCaseForReading(casePath);
  const queries = new CaseQueries(db);
  const repeat = (run: () => unknown): ReturnType<typeof summarize> => {
    const samples: number[] = [];
    for (let i = 0; i < REPS; i++) samples.push(timeMs(run)[1]);
    return summarize(samples);
  };

  const repeatSlow = (run: () => unknown): ReturnType<typeof summarize> => {
    const samples: number[] = [];
    for (let i = 0; i < SLOW_REPS; i++) samples.push(timeMs(run)[1]);
    return summarize(samples);
  };
  const topActors = queries.topValues({}, 'actor', 6).values.map((v) => v.value);

  const all = queries.openResult({ order: 'desc' });
  const total = queries.count(all);
  const [, firstDeepJumpMs] = timeMs(() => queries.rows(all, Math.floor(total / 2), 200));
  const random = prng(7);
  const windows: number[] = [];
  for (let i = 0; i < 20; i++) {
    const position = Math.floor(random() * (total - 200));
    windows.push(timeMs(() => queries.rows(all, position, 200))[1]);
  }

  const term = (text: string) => {
    const query = search(text);
    return {
      count: repeat(() => queries.count(queries.openResult(query))),
      firstPage: repeat(() => queries.rows(queries.openResult(query), 0, 200)),
      matches: queries.count(queries.openResult(query)),
    };
  };
  const filtered = search('action:s3:GetObject outcome:failure');
  const { first, last } = db.prepare('SELECT min(time) AS first, max(time) AS last FROM events').get() as {
    first: number;
    last: number;
  };
  const result = {
    totalEvents: total,
    reopenToFirstPageMs: summarize(reopen),
    reopenToFirstPageEngineMs: summarize(reopenEngine),
    firstPageMs: repeat(() => queries.rows(queries.openResult({ order: 'desc' }), 0, 200)),
    firstDeepJumpMs,
    window200RandomMs: summarize(windows),
    filteredCount: {
      query: 'action:s3:GetObject outcome:failure',
      ms: repeat(() => queries.count(queries.openResult(filtered))),
      matches: queries.count(queries.openResult(filtered)),
    },
    freeText: {
      rare: { term: 'StopLogging', ...term('StopLogging') },
      common: { term: 'AccessDenied', ...term('AccessDenied') },
      veryCommon: { term: 'GetObject', ...term('GetObject') },
    },
    histogramMs: repeat(() => queries.histogram({})),
    histogramFilteredMs: repeat(() => queries.histogram(filtered)),
    topActorsMs: repeat(() => queries.topValues({}, 'actor', 20)),
    // The investigation views and reports: whole-case scans, so fewer runs.
    activityTop30Ms: repeatSlow(() => queries.activity({}, 'actor', { limit: 30 })),
    journeyTop6Ms: repeatSlow(() => queries.journey({}, 'actor', topActors)),
    histogramByActivityMs: repeatSlow(() => queries.histogram({}, { stackBy: 'activity' })),
    caseReportHtmlMs: await reportMs(casePath),
    // Detections: the 137 SigmaHQ rules of ../shared/sigma (46 for CloudTrail) in one pass.
    sigmaRulesMs: await sigmaMs(db),
    // The built-in alert rules (every search in one pass), and the dashboard of the last 7 days
    // and of the whole case (the generated IPs are nearly all distinct: a worst case for
    // "first seen" and top values).
    builtInRulesMs: repeatSlow(() => {
      const engine = new AlertEngine(builtInRules(DEFAULT_DETECTION_SETTINGS));
      engine.advance(db);
      return engine.alerts();
    }),
    dashboard7dMs: repeatSlow(() =>
      dashboard(db, { from: last + 1 - 7 * 86_400e6, to: last + 1, zone: 'Europe/Berlin' }),
    ),
    dashboardWholeMs: repeatSlow(() => dashboard(db, { from: first, to: last + 1, zone: 'Europe/Berlin' })),
  };
  db.close();
  return result;
}
