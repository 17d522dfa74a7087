import type { Analyzer, AnalyzerFact, AnalyzerFile } from '../types.js';

/**
 * Image hygiene facts for the image-config checks: setuid/setgid files, package-manager caches
 * left behind, and credential files. It reads no secret: credential files are only classified
 * (private key header present, an auth key present) and never quoted.
 */

/** Cache folders, as [prefix, cache dir reported, package manager]. */
const CACHES: readonly (readonly [string, string, string])[] = [
  ['var/cache/apt/archives/', 'var/cache/apt/archives', 'apt'],
  ['var/lib/apt/lists/', 'var/lib/apt/lists', 'apt'],
  ['var/cache/apk/', 'var/cache/apk', 'apk'],
  ['var/cache/yum/', 'var/cache/yum', 'yum'],
  ['var/cache/dnf/', 'var/cache/dnf', 'dnf'],
  ['root/.cache/pip/', 'root/.cache/pip', 'pip'],
  ['root/.npm/_cacache/', 'root/.npm/_cacache', 'npm'],
  ['usr/local/share/.cache/yarn/', 'usr/local/share/.cache/yarn', 'yarn'],
];

// Anything bigger is skipped rather than read: the walker refuses files over its own bound
// (64 MiB by default) for the whole layer, and a cache file's size is all we need.
const MAX_READ = 32 * 1024 * 1024;
const MAX_KEY_FILE = 64 * 1024;

function cacheOf(path: string): readonly [string, string, string] | undefined {
  for (const c of CACHES) {
    if (!path.startsWith(c[0])) continue;
    const rest = path.slice(c[0].length);
    if (c[1] === 'var/cache/apt/archives')
      return rest.endsWith('.deb') && !rest.includes('/') ? c : undefined;
    if (c[1] === 'var/lib/apt/lists') return rest === 'lock' || rest.startsWith('partial/') ? undefined : c;
    return c;
  }
  return undefined;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Third-party trees ship test keys and sample configs; they are not the image's credentials. */
function vendored(path: string): boolean {
  return (
    path.includes('node_modules/') ||
    path.includes('site-packages/') ||
    path.includes('dist-packages/') ||
    path.startsWith('usr/share/') ||
    path.includes('/test/') ||
    path.includes('/tests/') ||
    path.includes('/testdata/')
  );
}

/** The credential-file type a path may be (content decides), or undefined. */
function credentialCandidate(path: string): string | undefined {
  if (vendored(path)) return undefined;
  const base = baseName(path);
  if (path.startsWith('etc/ssh/ssh_host_') && path.endsWith('_key')) return 'ssh-host-key';
  if (path.includes('.ssh/') && base.startsWith('id_') && !base.endsWith('.pub')) return 'ssh-private-key';
  if (base === '.git-credentials') return 'git-credentials';
  if (base === '.npmrc') return 'npmrc';
  if (base === '.pypirc') return 'pypirc';
  if (base === '.netrc') return 'netrc';
  if (base === 'config.json' && path.endsWith('.docker/config.json')) return 'docker-config';
  if (base.endsWith('.pem') || base.endsWith('.key')) return 'private-key';
  return undefined;
}

function hasPrivateKey(text: string): boolean {
  return /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/.test(text);
}

/** Whether the file's content makes it a credential (not an empty or public file). */
function credentialPresent(type: string, text: string): boolean {
  switch (type) {
    case 'ssh-host-key':
    case 'ssh-private-key':
    case 'private-key':
      return hasPrivateKey(text);
    case 'git-credentials':
      return /:\/\/[^\s:/@]+:[^\s/@]+@/.test(text);
    case 'npmrc':
      return /(?:^|[\s:])_(?:authToken|auth|password)\s*=\s*\S/m.test(text);
    case 'pypirc':
      return /^\s*password\s*[=:]\s*\S/m.test(text);
    case 'netrc':
      return /\bpassword\s+\S/.test(text);
    case 'docker-config':
      return /"(?:auth|identitytoken)"\s*:\s*"[^"]/.test(text);
    default:
      return false;
  }
}

export const imageHygieneAnalyzer: Analyzer = {
  id: 'image-hygiene',
  version: 1,
  kind: 'os',
  // image hygiene is about what ships; a project folder is checked by `bulwark config`
  targets: ['image', 'rootfs'],
  required(path, size, mode) {
    // links have no mode: only regular files carry bits or bytes worth noting
    if (mode === undefined || size > MAX_READ) return false;
    if ((mode & 0o6000) !== 0) return true;
    if (cacheOf(path)) return true;
    return size > 0 && size <= MAX_KEY_FILE && credentialCandidate(path) !== undefined;
  },
  analyze(file: AnalyzerFile) {
    const facts: AnalyzerFact[] = [];
    if ((file.mode & 0o6000) !== 0)
      facts.push({
        kind: 'setuid',
        data: {
          mode: (file.mode & 0o7777).toString(8).padStart(4, '0'),
          setuid: (file.mode & 0o4000) !== 0,
          setgid: (file.mode & 0o2000) !== 0,
        },
      });
    const cache = cacheOf(file.path);
    if (cache)
      facts.push({ kind: 'package-cache', data: { cache: cache[1], manager: cache[2], size: file.size } });
    const type = file.size <= MAX_KEY_FILE ? credentialCandidate(file.path) : undefined;
    if (type && credentialPresent(type, file.content.toString('latin1')))
      facts.push({ kind: 'credential-file', data: { type, size: file.size } });
    return facts.length ? { facts } : {};
  },
};
