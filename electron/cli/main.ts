import { importCommand, IMPORT_HELP } from './commands/import.ts';
import { queryCommand, QUERY_HELP } from './commands/query.ts';
import { statsCommand, STATS_HELP } from './commands/stats.ts';
import { serveCommand, SERVE_HELP } from './commands/serve.ts';
import { verifyCommand, VERIFY_HELP } from './commands/verify.ts';
import { exportCommand, EXPORT_HELP } from './commands/export.ts';
import { detectCommand, DETECT_HELP } from './commands/detect.ts';
import { tailCommand, TAIL_HELP } from './commands/tail.ts';
import { CliError } from './cli-error.ts';
import { makeControlsVisible } from '../../shared/lib/visible-text.ts';

const HELP = `auditscope — a security console for audit logs

Usage: auditscope <command> [options]

Commands:
  import <files or folders…> --case <file>   import audit logs into a case file
  query --case <file> ['<search>']           search a case (table, ndjson, csv, json)
  stats --case <file>                        counts by source, action, outcome; time span
  export --case <file> --format <f> --out <file> ['<search>']
                                             write a search's events to a file (journaled)
  verify --case <file>                       re-check the case journal and input file hashes
  detect --case <file> --rules <folder>      run detection rules (Sigma, Auditscope's own) over a case
  tail --file <path> [--case <file>]         follow a log file and print its events as they arrive
  serve [--case <file>] [--port N]           the workspace in a browser on this machine

Run \`auditscope <command> --help\` for a command's options.

${IMPORT_HELP}

${QUERY_HELP}

${STATS_HELP}

${EXPORT_HELP}

${VERIFY_HELP}

${DETECT_HELP}

${TAIL_HELP}

${SERVE_HELP}`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  import: importCommand,
  query: queryCommand,
  stats: statsCommand,
  verify: verifyCommand,
  export: exportCommand,
  detect: detectCommand,
  tail: tailCommand,
  serve: serveCommand,
};

/** Runs the CLI; resolves to the process exit code. Errors become one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    console.error(`auditscope: unknown command ${makeControlsVisible(command)} (try auditscope --help)`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (error) {
    const exitCode = error instanceof CliError ? error.exitCode : isArgError(error) ? 2 : 1;
    // Usage errors name their command already ("export: --out <file> is required"): once is enough.
    const message = (error as Error).message.replace(new RegExp(`^${command}: `), '');
    console.error(`auditscope ${command}: ${makeControlsVisible(message)}`);
    return exitCode;
  }
}

/** node:util parseArgs reports unknown options and missing values with these codes. */
function isArgError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code.startsWith('ERR_PARSE_ARGS');
}
