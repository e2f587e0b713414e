// A throwaway MariaDB server for tests: its own data folder in a temporary folder, its socket
// there too, a free TCP port on 127.0.0.1, TLS with a self-signed certificate (openssl), a user
// with a password who may write (so that read-only is the client's doing, not a grant's);
// stopped and removed afterwards. As root the server runs as the `mysql` user.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { selfSignedCertificate } from './certificates.ts';
import { freePort } from './postgres.ts';

const SERVER = process.env.MARIADB_SERVER ?? '/usr/sbin/mariadbd';
const INSTALL = process.env.MARIADB_INSTALL_DB ?? '/usr/bin/mariadb-install-db';
const CLIENT = process.env.MARIADB_CLIENT ?? '/usr/bin/mariadb';

export interface TestMariadb {
  host: string;
  port: number;
  /** A user with every privilege on the `app` database. */
  user: string;
  password: string;
  /** The server's self-signed certificate (PEM): what a client pins to trust it. */
  certificate: string;
  /** Runs SQL as a superuser over the socket (setting up fixtures); returns the tab-separated output. */
  sql(statements: string, database?: string): string;
  stop(): Promise<void>;
}

/** Why no server can be started here, or undefined when one can. */
export function mariadbMissing(): string | undefined {
  const absent = [SERVER, INSTALL, CLIENT].filter((file) => !existsSync(file));
  return absent.length === 0
    ? undefined
    : `MariaDB not found (${absent.join(', ')}; Debian: apt-get install mariadb-server, or set MARIADB_SERVER, MARIADB_INSTALL_DB, MARIADB_CLIENT)`;
}

export async function startMariadb(): Promise<TestMariadb> {
  const missing = mariadbMissing();
  if (missing) throw new Error(missing);
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'auditscope-mariadb-'));
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'mysql']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'mysql']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const command = (file: string, args: string[]): [string, string[]] =>
    root ? ['runuser', ['-u', 'mysql', '--', file, ...args]] : [file, args];
  const run = (file: string, args: string[], input?: string): string => {
    const [bin, argv] = command(file, args);
    const result = spawnSync(bin, argv, { encoding: 'utf8', input });
    if (result.status !== 0)
      throw new Error(`${path.basename(file)} failed: ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  const { cert, key } = selfSignedCertificate(dir, 'server', root ? 'mysql' : undefined);
  const data = path.join(dir, 'data');
  run(INSTALL, [
    '--no-defaults',
    `--datadir=${data}`,
    '--auth-root-authentication-method=socket',
    '--skip-test-db',
  ]);
  const socket = path.join(dir, 'sock');
  const port = await freePort();
  const [bin, argv] = command(SERVER, [
    '--no-defaults',
    `--datadir=${data}`,
    `--socket=${socket}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${path.join(dir, 'pid')}`,
    `--ssl-cert=${cert}`,
    `--ssl-key=${key}`,
    '--innodb-buffer-pool-size=64M',
    '--innodb-flush-log-at-trx-commit=0',
    '--skip-log-bin',
  ]);
  const server: ChildProcess = spawn(bin, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  // mariadb-install-db makes the OS account that ran it a superuser, by socket authentication.
  const osUser = root ? 'mysql' : userInfo().username;
  const sql = (statements: string, database?: string): string =>
    run(
      CLIENT,
      ['--no-defaults', `--socket=${socket}`, `-u${osUser}`, '-N', '-B', ...(database ? [database] : [])],
      statements,
    );
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`mariadbd exited: ${log.slice(-2000)}`);
    if (/ready for connections/.test(log)) break;
    if (Date.now() > deadline) throw new Error(`mariadbd did not start in 30 s: ${log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  sql(
    `CREATE DATABASE app; CREATE USER 'auditor'@'127.0.0.1' IDENTIFIED BY '${password}';
     GRANT ALL PRIVILEGES ON app.* TO 'auditor'@'127.0.0.1';`,
  );
  return {
    host: '127.0.0.1',
    port,
    user: 'auditor',
    password,
    certificate: cert,
    sql,
    stop: async () => {
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
