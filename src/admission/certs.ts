/**
 * `bulwark admission certs`: a private CA and a serving certificate for the webhook's Service
 * (its in-cluster DNS names plus any given), ECDSA P-256, made with @peculiar/x509 over
 * WebCrypto. The API server trusts the CA through the webhook configuration's caBundle.
 */
import { webcrypto } from 'node:crypto';

type KeyPair = webcrypto.CryptoKeyPair;

export interface AdmissionCertOptions {
  service: string;
  namespace: string;
  /** more DNS names for the serving certificate (e.g. localhost) */
  dnsNames?: string[];
  /** IP addresses for the serving certificate (e.g. 127.0.0.1) */
  ipAddresses?: string[];
  /** validity in days (default 365) */
  days?: number;
  now?: Date;
}

export interface AdmissionCerts {
  caCertPem: string;
  caKeyPem: string;
  certPem: string;
  keyPem: string;
  dnsNames: string[];
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

function pem(type: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${type}-----\n${b64.replace(/\n$/, '')}\n-----END ${type}-----\n`;
}

/** The names the API server uses to reach a Service: `svc.ns.svc` is what it dials. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
  ];
}

export async function makeAdmissionCerts(opts: AdmissionCertOptions): Promise<AdmissionCerts> {
  // @peculiar/x509's dependency injection needs the Reflect metadata polyfill loaded first
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const now = opts.now ?? new Date();
  const notBefore = new Date(now.getTime() - 5 * 60_000); // tolerate small clock skew
  const notAfter = new Date(now.getTime() + (opts.days ?? 365) * 86_400_000);
  const serial = () =>
    Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '1');
  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as KeyPair;
  const caName = `CN=bulwark admission CA for ${opts.service}.${opts.namespace}`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: caName,
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as KeyPair;
  const dnsNames = [...new Set([...serviceDnsNames(opts.service, opts.namespace), ...(opts.dnsNames ?? [])])];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${opts.service}.${opts.namespace}.svc`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  return {
    caCertPem: ca.toString('pem') + '\n',
    caKeyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', caKeys.privateKey)),
    certPem: cert.toString('pem') + '\n',
    keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
    dnsNames,
  };
}
