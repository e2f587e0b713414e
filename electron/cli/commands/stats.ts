import { parseArgs } from 'node:util';
import { UsageError } from '../cli-error.ts';
import { openExistingCase } from './open-case.ts';
import { formatTimeUtc } from '../../../shared/lib/format-time.ts';
import { makeControlsVisible, terminalSafeJson } from '../../../shared/lib/visible-text.ts';
import type { FieldValueCount } from '../../../shared/domain/case.ts';

export const STATS_HELP = `Usage: auditscope stats --case <file> [--json]

Counts by source, action, outcome and category, the time span, imports and rejects of a case.

Options:
  --case <file>   the case file (required)
  --json          machine-readable output
  -h, --help      show this help`;

export async function statsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { case: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(STATS_HELP);
    return 0;
  }
  if (!values.case) throw new UsageError('stats: --case <file> is required');
  const session = await openExistingCase(values.case);
  try {
    const stats = await session.read.stats();
    const imports = await session.read.imports();
    if (values.json) {
      const span =
        stats.first === null || stats.last === null
          ? null
          : { first: formatTimeUtc(stats.first), last: formatTimeUtc(stats.last) };
      console.log(terminalSafeJson(JSON.stringify({ ...stats, span, imports }, null, 2)));
      return 0;
    }
    const lines = [
      `${stats.events} events from ${stats.imports} import(s), ${stats.rejects} rejected record(s)`,
      stats.first !== null && stats.last !== null
        ? `span ${formatTimeUtc(stats.first)} — ${formatTimeUtc(stats.last)}`
        : 'span: no events',
      `free-text index: ${stats.ftsReady ? 'ready' : 'building (until done, free text indexes or scans the events it lacks)'}`,
      section('by source', stats.bySource),
      section('by outcome', stats.byOutcome),
      section('by category', stats.byCategory),
      section('top actions', stats.byAction.slice(0, 20)),
    ];
    console.log(lines.join('\n'));
    return 0;
  } finally {
    await session.close();
  }
}

function section(title: string, rows: FieldValueCount[]): string {
  const width = Math.max(8, ...rows.map((r) => String(r.count).length));
  return (
    `\n${title}:\n` +
    rows.map((r) => `  ${String(r.count).padStart(width)}  ${makeControlsVisible(r.value)}`).join('\n')
  );
}
