// `npm run bench:ui`: the UI benchmark alone, on the case `npm run bench` leaves in .bench/.
// UI_BENCH_SOAK_SECONDS (default 60; the figure is 600) sets the soak before the heap reading.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.ts';
import { benchUi } from './ui-bench.ts';

const casePath = process.env.UI_BENCH_CASE ?? path.join(REPO_ROOT, '.bench', 'bench-2.auditscope');
if (!existsSync(casePath)) {
  console.error(`no benchmark case at ${casePath}: run npm run bench first (or set UI_BENCH_CASE)`);
  process.exit(1);
}
const result = await benchUi(casePath, { soakSeconds: Number(process.env.UI_BENCH_SOAK_SECONDS ?? 60) });
console.log(JSON.stringify(result, null, 2));
