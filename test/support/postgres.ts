// A throwaway PostgreSQL server for tests: its own cluster in a temporary folder, its socket there
// too, a free TCP port on 127.0.0.1, password authentication, TLS with a self-signed certificate
// (made with openssl); stopped and removed afterwards.
// PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { selfSignedCertificate } from './certificates.ts';
import type { ServerTarget } from '../../electron/engine/sources/table-reader.ts';

const BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The server's self-signed certificate (PEM): what a client pins to trust it. */
  certificate: string;
  /** How a reader reaches `database` as the superuser, without TLS. */
  target(database: string): ServerTarget;
  /** Runs SQL as the superuser (setting up fixtures). */
  psql(sql: string, database?: string): string;
  stop(): void;
}

/** Why no server can be started here, or undefined when one can. */
export function postgresMissing(): string | undefined {
  return existsSync(path.join(BIN, 'pg_ctl'))
    ? undefined
    : `PostgreSQL server binaries not found in ${BIN} (Debian: apt-get install postgresql; or set POSTGRES_BIN)`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<TestPostgres> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'auditscope-pg-'));
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  writeFileSync(path.join(dir, 'pwfile'), `${password}\n`);
  if (root) {
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(ids), Number(gid));
    chownSync(path.join(dir, 'pwfile'), Number(ids), Number(gid));
  }
  const as = (command: string, args: string[]) => {
    const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  // TLS on, with a self-signed certificate: a client that verifies must refuse it.
  const { cert, key } = selfSignedCertificate(dir, 'server', root ? 'postgres' : undefined);
  const data = path.join(dir, 'data');
  as(path.join(BIN, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--pwfile',
    path.join(dir, 'pwfile'),
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--no-instructions',
  ]);
  const port = await freePort();
  as(path.join(BIN, 'pg_ctl'), [
    '-D',
    data,
    '-w',
    '-l',
    path.join(dir, 'log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on -c ssl_cert_file=${cert} -c ssl_key_file=${key}`,
    'start',
  ]);
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    certificate: cert,
    target: (database) => ({ host: '127.0.0.1', port, database, user: 'postgres', password, tls: 'disable' }),
    psql: (sql, database = 'postgres') =>
      as(path.join(BIN, 'psql'), [
        '-h',
        dir,
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        database,
        '-v',
        'ON_ERROR_STOP=1',
        '-qAtc',
        sql,
      ]),
    stop: () => {
      try {
        as(path.join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
