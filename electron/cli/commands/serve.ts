import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CaseSession } from '../../engine/case-session.ts';
import { CaseHost } from '../../engine/cases/case-host.ts';
import { MemorySecrets } from '../../engine/sources/secrets.ts';
import { SourceRegistry } from '../../engine/sources/source-registry.ts';
import { openDemoCase } from '../../engine/cases/demo-case.ts';
import { startServer } from '../../server/serve.ts';
import { CliError, UsageError } from '../cli-error.ts';
import { demoDataDir, hasBuiltRenderer, rendererDir, userDataDir, ruleFolders } from '../resource-paths.ts';

export const SERVE_HELP = `Usage: auditscope serve [--case <file>] [--port N]

Serves the Auditscope workspace to a browser on this machine (127.0.0.1 only) and prints its URL,
which carries a random token: requests without it are refused. Without --case, opens the demo case
(built on first use from the bundled sample logs). Stop with Ctrl-C.

Options:
  --case <file>   the case to open (created if missing)
  --port N        the port to listen on (default: any free port)
  -h, --help      show this help`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { case: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(SERVE_HELP);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError('serve: --port takes a whole number from 0 to 65535');
  }
  if (!hasBuiltRenderer()) throw new CliError(`no built UI in ${rendererDir()}: run npm run build first`);
  if (values.case !== undefined && !existsSync(path.dirname(path.resolve(values.case)))) {
    throw new CliError(`no folder for the case file ${values.case}`);
  }
  const session =
    values.case === undefined
      ? await openDemoCase(path.join(userDataDir(), 'demo.auditscope'), demoDataDir())
      : await CaseSession.open(values.case);
  const cases = new CaseHost(session, { recentFile: path.join(userDataDir(), 'recent-cases.json') });
  // Passwords for database sources: AUDITSCOPE_SOURCE_PASSWORD_<NAME>, or typed in the page (kept in
  // memory for this run only, never written).
  const sources = new SourceRegistry(path.join(userDataDir(), 'sources.json'), new MemorySecrets());
  const server = await startServer({
    cases,
    rendererDir: rendererDir(),
    port,
    sources,
    ruleFolders: ruleFolders(),
  });
  console.log(`Auditscope is serving ${session.path}`);
  console.log(`Open ${server.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  sources.closeBrowsing();
  await cases.close();
  return 0;
}
