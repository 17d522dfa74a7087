// A small real PKI made with openssl for the certificate tests: root -> intermediate -> leaves
// (code signing with SANs and Fulcio's OIDC issuer extension, expired, no code signing), plus an
// unrelated root. `openssl ca` sets exact validity dates, so the expired leaf is really expired.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execFileP } from './helpers.js';

export interface Pki {
  dir: string;
  rootPem: string;
  intermediatePem: string;
  otherRootPem: string;
  /** chain file content: intermediate then root, as cosign's --cert-chain expects */
  chainPem: string;
  leaf: LeafFiles;
  expired: LeafFiles;
  noCodeSigning: LeafFiles;
}

export interface LeafFiles {
  certPem: string;
  certFile: string;
  /** PKCS#8 private key file */
  keyFile: string;
}

const openssl = (args: string[], cwd: string) => execFileP('openssl', args, { cwd });

async function caDir(dir: string, name: string): Promise<string> {
  const d = path.join(dir, name);
  await mkdir(d, { recursive: true });
  await writeFile(path.join(d, 'index.txt'), '');
  await writeFile(path.join(d, 'serial'), '1000\n');
  return d;
}

function caConfig(d: string, extensions: string): string {
  return `[ca]
default_ca = CA_default
[CA_default]
dir = ${d}
database = ${d}/index.txt
serial = ${d}/serial
new_certs_dir = ${d}
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
[policy_any]
commonName = optional
organizationName = optional
emailAddress = optional
[ext]
${extensions}
`;
}

async function newKey(dir: string, name: string): Promise<string> {
  const f = path.join(dir, `${name}.key`);
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f], dir);
  return f;
}

async function selfSigned(
  dir: string,
  name: string,
  subject: string,
): Promise<{ cert: string; key: string }> {
  const key = await newKey(dir, name);
  const cert = path.join(dir, `${name}.pem`);
  await openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      key,
      '-subj',
      subject,
      '-days',
      '3650',
      '-out',
      cert,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return { cert, key };
}

async function issue(
  dir: string,
  ca: { cert: string; key: string },
  name: string,
  subject: string,
  extensions: string,
  dates: { start?: string; end?: string } = {},
): Promise<{ cert: string; key: string }> {
  const key = await newKey(dir, name);
  const csr = path.join(dir, `${name}.csr`);
  await openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr], dir);
  const d = await caDir(dir, `ca-${name}`);
  const cfg = path.join(d, 'ca.cnf');
  await writeFile(cfg, caConfig(d, extensions));
  const cert = path.join(dir, `${name}.pem`);
  const validity = dates.start ? ['-startdate', dates.start, '-enddate', dates.end!] : ['-days', '365'];
  await openssl(
    [
      'ca',
      '-batch',
      '-config',
      cfg,
      '-cert',
      ca.cert,
      '-keyfile',
      ca.key,
      '-in',
      csr,
      '-out',
      cert,
      '-extensions',
      'ext',
      '-notext',
      ...validity,
    ],
    dir,
  );
  return { cert, key };
}

const LEAF_EXT = `basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectAltName = email:ci@example.com,URI:https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main
1.3.6.1.4.1.57264.1.1 = DER:${Buffer.from('https://token.actions.githubusercontent.com').toString('hex').toUpperCase().match(/../g)!.join(':')}
1.3.6.1.4.1.57264.1.8 = ASN1:UTF8String:https://token.actions.githubusercontent.com
`;

async function leafFiles(c: { cert: string; key: string }, dir: string, name: string): Promise<LeafFiles> {
  const keyFile = path.join(dir, `${name}.pkcs8.pem`);
  await openssl(['pkcs8', '-topk8', '-nocrypt', '-in', c.key, '-out', keyFile], dir);
  return { certPem: await readFile(c.cert, 'utf8'), certFile: c.cert, keyFile };
}

export async function makePki(dir: string): Promise<Pki> {
  const root = await selfSigned(dir, 'root', '/O=bulwark test/CN=Test Root');
  const otherRoot = await selfSigned(dir, 'other-root', '/O=elsewhere/CN=Other Root');
  const inter = await issue(
    dir,
    root,
    'intermediate',
    '/O=bulwark test/CN=Test Intermediate',
    'basicConstraints = critical,CA:TRUE,pathlen:0\nkeyUsage = critical,keyCertSign,cRLSign\nextendedKeyUsage = codeSigning\n',
  );
  const leaf = await issue(dir, inter, 'leaf', '/O=acme', LEAF_EXT);
  const expired = await issue(dir, inter, 'expired', '/O=acme', LEAF_EXT, {
    start: '20200101000000Z',
    end: '20200102000000Z',
  });
  const noCs = await issue(
    dir,
    inter,
    'nocs',
    '/O=acme',
    'basicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = email:ci@example.com\n',
  );
  const rootPem = await readFile(root.cert, 'utf8');
  const intermediatePem = await readFile(inter.cert, 'utf8');
  return {
    dir,
    rootPem,
    intermediatePem,
    otherRootPem: await readFile(otherRoot.cert, 'utf8'),
    chainPem: intermediatePem + rootPem,
    leaf: await leafFiles(leaf, dir, 'leaf'),
    expired: await leafFiles(expired, dir, 'expired'),
    noCodeSigning: await leafFiles(noCs, dir, 'nocs'),
  };
}
