import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildLayer, imageConfig, writeOciLayout, type BuiltLayer } from '../image/helpers.js';

/** A dpkg status stanza, as dpkg writes it. */
export function stanza(name: string, version: string, source?: string): string {
  return [
    `Package: ${name}`,
    'Status: install ok installed',
    'Priority: optional',
    'Section: net',
    'Installed-Size: 10',
    'Maintainer: bulwark tests <tests@example.invalid>',
    'Architecture: amd64',
    ...(source ? [`Source: ${source}`] : []),
    `Version: ${version}`,
    `Description: ${name} for the image-config tests`,
    '',
  ].join('\n');
}

/** A real-format RSA private key made by ssh-keygen, so the analyzer sees what an image would hold. */
export function realPrivateKey(dir: string): string {
  const file = path.join(dir, 'id_rsa');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test', '-f', file]);
  return readFileSync(file, 'utf8');
}

export const DB_PASSWORD = 'Sup3r-S3cret-Value-9921';
export const BUILD_TOKEN = 'tok-7f3c9a0b12de44aa';
export const CURL_PASS = 'curlpass-Zx81';

export interface BuiltImage {
  layers: BuiltLayer[];
  config: Buffer;
}

/**
 * A small Debian-like image with the mistakes the checks are for, one kind per layer so layer
 * attribution can be asserted:
 *   0 base: os-release, dpkg status (sudo), passwd/su setuid as shipped
 *   1 apt layer: openssh-server added to dpkg status, apt lists and a .deb left behind
 *   2 ADD https://... : an unexpected setuid helper
 *   3 COPY: an SSH private key and .git-credentials for root
 */
export async function buildHygieneImage(
  keyText: string,
  extraConfig: Record<string, unknown> = {},
): Promise<BuiltImage> {
  const osRelease =
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n';
  const base = stanza('base-files', '12.4+deb12u5') + '\n' + stanza('sudo', '1.9.13p3-1+deb12u1');
  const withSsh = base + '\n' + stanza('openssh-server', '1:9.2p1-2+deb12u2', 'openssh');
  const l0 = await buildLayer([
    { name: 'etc/os-release', content: osRelease },
    { name: 'var/lib/dpkg/status', content: base },
    { name: 'usr/bin/passwd', content: Buffer.alloc(64, 1), mode: 0o4755 },
    { name: 'usr/bin/su', content: Buffer.alloc(64, 2), mode: 0o4755 },
    { name: 'usr/bin/ls', content: Buffer.alloc(64, 3), mode: 0o755 },
  ]);
  const l1 = await buildLayer([
    { name: 'var/lib/dpkg/status', content: withSsh },
    {
      name: 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4',
      content: Buffer.alloc(3000, 7),
    },
    { name: 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease', content: 'x'.repeat(1000) },
    { name: 'var/lib/apt/lists/lock', content: '' },
    { name: 'var/lib/apt/lists/partial/', type: 'directory' },
    { name: 'var/cache/apt/archives/openssh-server_9.2p1-2_amd64.deb', content: Buffer.alloc(500, 9) },
    { name: 'var/cache/apt/archives/lock', content: '' },
  ]);
  const l2 = await buildLayer([
    { name: 'usr/local/bin/helper', content: Buffer.alloc(128, 4), mode: 0o6755 },
  ]);
  const l3 = await buildLayer([
    { name: 'root/.ssh/id_ed25519', content: keyText, mode: 0o600 },
    { name: 'root/.ssh/id_ed25519.pub', content: 'ssh-ed25519 AAAA test' },
    {
      name: 'root/.git-credentials',
      content: 'https://ci-bot:glpat-abcdefghijklmnopqrst@gitlab.example.com\n',
    },
    { name: 'app/.npmrc', content: 'registry=https://registry.npmjs.org/\n' },
    { name: 'app/node_modules/some-lib/test/fixture.key', content: keyText },
  ]);
  const layers = [l0, l1, l2, l3];
  const config = imageConfig(layers, {
    config: {
      Env: [
        'PATH=/usr/local/bin:/usr/bin',
        `DB_PASSWORD=${DB_PASSWORD}`,
        'DB_PASSWORD_FILE=/run/secrets/db',
        'PWD=/app',
      ],
      Labels: { 'org.opencontainers.image.title': 'hygiene test', 'deploy.api_token': BUILD_TOKEN },
      ExposedPorts: { '22/tcp': {}, '8080/tcp': {} },
    },
    history: [
      { created_by: '/bin/sh -c #(nop) ADD file:0a1b2c in / ' },
      { created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
      {
        created_by: `RUN |1 API_TOKEN=${BUILD_TOKEN} /bin/sh -c apt-get update && apt-get dist-upgrade -y && apt-get install -y openssh-server && curl -u deploy:${CURL_PASS} https://example.com/x # buildkit`,
      },
      { created_by: 'ADD https://example.com/helper.tar.gz /usr/local/bin/ # buildkit' },
      { created_by: 'COPY . / # buildkit' },
    ],
    ...extraConfig,
  });
  return { layers, config };
}

export async function writeHygieneLayout(dir: string, img: BuiltImage, tag = 'test'): Promise<void> {
  await writeOciLayout(dir, [{ layers: img.layers, config: img.config, tag }]);
}
