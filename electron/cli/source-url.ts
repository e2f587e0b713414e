import type { ServerTarget } from '../engine/sources/table-reader.ts';
import { DEFAULT_PORT } from '../../shared/domain/source.ts';
import { makeControlsVisible } from '../../shared/lib/visible-text.ts';
import { UsageError } from './cli-error.ts';

/** A database server named on the command line: which kind, and how to reach it. */
export interface ServerSource {
  kind: 'postgres' | 'mysql';
  target: ServerTarget;
}

const KINDS: Record<string, ServerSource['kind']> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

/**
 * The database of a --source URL (postgres://, mysql:// or mariadb://user@host:port/database);
 * the password from AUDITSCOPE_PASSWORD or a prompt, never from the URL, which would keep it in
 * shell history. TLS is verified unless the URL says `?sslmode=disable`, or pinned to the
 * certificate file `?sslrootcert=<file>` names.
 */
export async function serverSource(text: string, command: string): Promise<ServerSource> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${command}: --source ${makeControlsVisible(text)} is not a URL`);
  }
  const kind = KINDS[url.protocol];
  if (!kind)
    throw new UsageError(
      `${command}: --source must be a postgres:// or mysql:// URL, not ${makeControlsVisible(url.protocol)}`,
    );
  if (url.password)
    throw new UsageError(
      `${command}: put the password in AUDITSCOPE_PASSWORD (or type it at the prompt), not in the URL`,
    );
  const sslmode = url.searchParams.get('sslmode');
  const sslrootcert = url.searchParams.get('sslrootcert');
  const password =
    process.env.AUDITSCOPE_PASSWORD ?? (process.stdin.isTTY ? await promptSecret('Password: ') : undefined);
  const database = decodeURIComponent(url.pathname.slice(1));
  if (kind === 'mysql' && !database)
    throw new UsageError(`${command}: name the database: mysql://user@host/database`);
  return {
    kind,
    target: {
      host: url.hostname || 'localhost',
      port: url.port ? Number(url.port) : DEFAULT_PORT[kind],
      database: database || 'postgres',
      user: decodeURIComponent(url.username) || (kind === 'postgres' ? 'postgres' : 'root'),
      password,
      // `sslrootcert` (PostgreSQL's name for it) pins the server to that certificate file.
      ...(sslrootcert
        ? { tls: 'pinned' as const, certificate: sslrootcert }
        : { tls: sslmode === 'disable' ? ('disable' as const) : ('verify' as const) }),
    },
  };
}

/** Reads a line from the terminal without echoing it. */
function promptSecret(question: string): Promise<string> {
  return new Promise((resolve) => {
    process.stderr.write(question);
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.resume();
    let answer = '';
    const onData = (data: Buffer): void => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(answer);
          return;
        }
        if (char === '\u0003') process.exit(130);
        answer = char === '\u007f' ? answer.slice(0, -1) : answer + char;
      }
    };
    stdin.on('data', onData);
  });
}
