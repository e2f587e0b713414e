// Certificates for TLS tests, made with openssl.
import { chmodSync, chownSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * A self-signed certificate and its key (PEM, `<name>.crt` and `<name>.key` in `dir`) naming
 * 127.0.0.1 and localhost, as a server's certificate should (pinned clients still check it).
 * `owner`: the account that must read the key (a database server's), when running as root.
 */
export function selfSignedCertificate(
  dir: string,
  name: string,
  owner?: string,
): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2'].concat([
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]),
    { stdio: 'ignore' },
  );
  chmodSync(key, 0o600);
  if (owner && process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', owner]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', owner]).toString().trim());
    for (const file of [cert, key]) chownSync(file, uid, gid);
  }
  return { cert, key };
}

/** A self-signed certificate no test server uses: pinned to it, a client must refuse them. */
export function otherCertificate(dir: string): string {
  return selfSignedCertificate(dir, 'other').cert;
}
