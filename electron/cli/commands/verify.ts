import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError, UsageError } from '../cli-error.ts';
import { verifyCase } from '../../engine/cases/verify-case.ts';
import { makeControlsVisible, terminalSafeJson } from '../../../shared/lib/visible-text.ts';

export const VERIFY_HELP = `Usage: auditscope verify --case <file> [--json] [--no-inputs]

Re-checks a case's journal (each entry hash-chained to the one before) and the SHA-256 recorded
for every input file still where it was imported from. Exit code 0 when the journal holds and
no present input changed, 1 otherwise. The case file is opened read-only.

Options:
  --case <file>   the case file (required)
  --json          machine-readable output
  --no-inputs     check the journal only (hashing large inputs takes a while)
  -h, --help      show this help`;

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      case: { type: 'string' },
      json: { type: 'boolean' },
      'no-inputs': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(VERIFY_HELP);
    return 0;
  }
  if (!values.case) throw new UsageError('verify: --case <file> is required');
  if (!existsSync(values.case)) throw new CliError(`no case file at ${values.case}`);
  const report = await verifyCase(values.case, { inputs: !values['no-inputs'] });
  if (values.json) {
    console.log(terminalSafeJson(JSON.stringify(report, null, 2)));
    return report.ok ? 0 : 1;
  }
  const { journal } = report;
  const lines = [
    journal.broken
      ? `journal: BROKEN at entry ${journal.broken.seq}: ${journal.broken.reason}`
      : `journal: ${journal.entries} entries, intact; head ${journal.head ?? '(empty)'}`,
    ...report.inputs.map(
      (input) => `input ${input.importId}: ${input.state.padEnd(8)} ${makeControlsVisible(input.path)}`,
    ),
    report.ok ? 'verified' : 'NOT verified',
  ];
  console.log(lines.join('\n'));
  return report.ok ? 0 : 1;
}
