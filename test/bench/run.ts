// `npm run bench`: import and query benchmarks on a seeded CloudTrail-shaped data set. Prints JSON.
// BENCH_EVENTS (default 1,000,000) and BENCH_RUNS (default 3) scale it down for a quick look.
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateCloudTrail } from './generate-cloudtrail.ts';
import { benchImport, type ImportRun } from './import-bench.ts';
import { benchQueries } from './query-bench.ts';
import { summarize } from './stats.ts';
import { REPO_ROOT } from '../support/paths.ts';

const events = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const workDir = path.join(REPO_ROOT, '.bench');
mkdirSync(workDir, { recursive: true });

const input = path.join(workDir, `cloudtrail-${events}-seed42.ndjson`);
if (!existsSync(input)) {
  process.stderr.write(`generating ${events} events into ${input}…\n`);
  await generateCloudTrail(input, { events, seed: 42 });
}
const inputBytes = statSync(input).size;

const imports: ImportRun[] = [];
let casePath = '';
for (let run = 0; run < runs; run++) {
  casePath = path.join(workDir, `bench-${run}.auditscope`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(casePath + suffix, { force: true });
  process.stderr.write(`import run ${run + 1}/${runs}…\n`);
  imports.push(await benchImport(input, casePath));
}
const pick = (key: keyof ImportRun): ReturnType<typeof summarize> =>
  summarize(imports.map((r) => r[key] as number));

process.stderr.write('queries…\n');
const queries = await benchQueries(casePath);

const result = {
  machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
  input: { events, bytes: inputBytes, bytesPerEvent: Math.round(inputBytes / events) },
  runs,
  import: {
    firstRowsVisibleMs: pick('firstRowsVisibleMs'),
    browsableMs: pick('browsableMs'),
    freeTextSearchableMs: pick('freeTextSearchableMs'),
    eventsPerSecond: pick('eventsPerSecond'),
    megabytesPerSecond: pick('megabytesPerSecond'),
    pageWhileIndexingMs: pick('pageWhileIndexingMs'),
    peakRssMb: pick('peakRssMb'),
    caseSizeRatio: pick('caseSizeRatio'),
    caseBytes: pick('caseBytes'),
    accepted: imports[0]?.accepted,
    mainThreadDelayP99Ms: pick('mainThreadDelayP99Ms'),
    mainThreadDelayMaxMs: pick('mainThreadDelayMaxMs'),
  },
  queries,
};
const text = JSON.stringify(result, null, 2);
writeFileSync(path.join(workDir, 'results.json'), text);
console.log(text);
for (let run = 0; run < runs - 1; run++) {
  for (const suffix of ['', '-wal', '-shm'])
    rmSync(path.join(workDir, `bench-${run}.auditscope`) + suffix, { force: true });
}
