// Certificates for TLS tests, made with openssl.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** A self-signed certificate no test server uses (PEM, in `dir`): pinned to it, a client must refuse them. */
export function otherCertificate(dir: string): string {
  const cert = path.join(dir, 'other.crt');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'other.key')].concat([
      '-out',
      cert,
      '-subj',
      '/CN=127.0.0.1',
      '-days',
      '2',
    ]),
    { stdio: 'ignore' },
  );
  return cert;
}
