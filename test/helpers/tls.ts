import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/**
 * A self-signed RSA certificate made by Debian's openssl, written as `key.pem` and `cert.pem` in
 * `dir`, for `subject` (extra `openssl req` arguments, e.g. a subjectAltName for 127.0.0.1).
 */
export async function selfSignedCert(
  dir: string,
  subject: string,
  extra: string[] = [],
): Promise<{ key: string; cert: string }> {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  await execFileP('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '2',
    '-subj',
    subject,
    ...extra,
  ]);
  return { key, cert };
}

/** The subjectAltName a certificate for a loopback server needs. */
export const LOOPBACK_SAN = ['-addext', 'subjectAltName=IP:127.0.0.1'];
