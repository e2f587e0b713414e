import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError, UsageError } from '../cli-error.ts';
import { existingCaseFile } from '../../engine/cases/case-host.ts';
import { openCaseForReading } from '../../engine/store/case-db.ts';
import { loadRuleFolder } from '../../engine/detect/run-rules.ts';
import { evaluateRules } from '../../engine/detect/evaluate-alerts.ts';
import { makeControlsVisible, terminalSafeJson } from '../../../shared/lib/visible-text.ts';

export const DETECT_HELP = `Usage: auditscope detect --case <file> --rules <folder> [--builtin] [--json] [--all]

Runs every rule in a folder over a case, read-only: Sigma rules (SigmaHQ layout, any depth;
detection and correlation rules) and Auditscope's own YAML rules (event, threshold, distinct,
sequence; see resources/rules/README.md). Prints the rules that matched, with their level and how
many events, and every rule it could not evaluate with the reason. Exit code 0 whether or not
rules matched.

Options:
  --case <file>     the case file (required)
  --rules <folder>  a folder of Sigma .yml rules (required)
  --json            for every rule loaded: id, title, level, matches and the matching event ids,
                    then the rules that could not be evaluated, with the reason
  --all             list rules without matches too (text output)
  --builtin         also run the built-in rules (failed sign-ins, spraying, privilege and MFA
                    changes, API keys, bulk exports) at the case's thresholds
  -h, --help        show this help`;

export async function detectCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      case: { type: 'string' },
      rules: { type: 'string' },
      json: { type: 'boolean' },
      all: { type: 'boolean' },
      builtin: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(DETECT_HELP);
    return 0;
  }
  if (!values.case) throw new UsageError('detect: --case <file> is required');
  if (!values.rules) throw new UsageError('detect: --rules <folder> is required');
  if (!existsSync(values.rules) || !statSync(values.rules).isDirectory())
    throw new CliError(`no rules folder at ${values.rules}`);
  let casePath: string;
  try {
    casePath = existingCaseFile(values.case);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const loaded = await loadRuleFolder(values.rules);
  const db = openCaseForReading(casePath);
  let report;
  try {
    const evaluated = evaluateRules(db, loaded, { builtIn: values.builtin ?? false });
    report = { rules: evaluated.results, unsupported: evaluated.unsupported, elapsedMs: evaluated.elapsedMs };
  } finally {
    db.close();
  }
  if (values.json) {
    // Event ids identify events across cases; positions in this case file are left out.
    const rules = report.rules.map(({ seqs: _seqs, ...rule }) => rule);
    console.log(terminalSafeJson(JSON.stringify({ ...report, rules }, null, 2)));
    return 0;
  }
  const shown = report.rules.filter((r) => values.all || r.matches > 0);
  const lines = shown.map(
    (r) =>
      `${String(r.matches).padStart(7)}  ${r.level.padEnd(13)} ${makeControlsVisible(r.title)}  (${r.id})`,
  );
  lines.push(
    `${report.rules.length} rules evaluated in ${report.elapsedMs} ms, ${report.rules.filter((r) => r.matches > 0).length} matched`,
  );
  for (const u of report.unsupported)
    lines.push(`not evaluated: ${makeControlsVisible(u.title ?? u.file)}: ${makeControlsVisible(u.reason)}`);
  console.log(lines.join('\n'));
  return 0;
}
