import { scanSecrets } from '../../secrets/index.js';
import type { Analyzer, AnalyzerFact } from '../types.js';

/** files above this are not searched for secrets in layers (config and source files are small) */
const MAX_BYTES = 2 * 1024 * 1024;

// trees that hold packaged, vendored or system content, never a user's configuration
const SKIP_PREFIXES = [
  'bin/',
  'boot/',
  'dev/',
  'lib/',
  'lib32/',
  'lib64/',
  'libx32/',
  'proc/',
  'sbin/',
  'sys/',
  'usr/bin/',
  'usr/include/',
  'usr/lib/',
  'usr/lib32/',
  'usr/lib64/',
  'usr/libexec/',
  'usr/sbin/',
  'usr/share/',
  'usr/src/',
  'var/cache/',
  'var/lib/apk/',
  'var/lib/apt/',
  'var/lib/dpkg/',
  'var/lib/rpm/',
  'var/lib/yum/',
  'var/lib/dnf/',
  'etc/ssl/certs/',
  'etc/pki/',
];
const SKIP_SEGMENTS = [
  '/node_modules/',
  '/site-packages/',
  '/dist-packages/',
  '/.git/objects/',
  '/__pycache__/',
];
const BINARY_EXT = new Set([
  'a',
  'bin',
  'bmp',
  'bz2',
  'class',
  'dat',
  'db',
  'dll',
  'eot',
  'exe',
  'gif',
  'gz',
  'ico',
  'jar',
  'jpeg',
  'jpg',
  'lz4',
  'mo',
  'mp3',
  'mp4',
  'o',
  'ogg',
  'otf',
  'pdf',
  'png',
  'pyc',
  'pyo',
  'rar',
  'so',
  'sqlite',
  'svg',
  'tar',
  'tgz',
  'tif',
  'tiff',
  'ttf',
  'war',
  'wasm',
  'wav',
  'webp',
  'whl',
  'woff',
  'woff2',
  'xz',
  'zip',
  'zst',
  '7z',
]);

function extension(path: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return '';
  const ext = path.slice(dot + 1).toLowerCase();
  // libfoo.so.1.2: the version after `.so` makes it a shared object all the same
  if (/^[0-9]+$/.test(ext) && path.includes('.so.', slash)) return 'so';
  return ext;
}

/**
 * Secrets in layer files, reported as `secret` facts with the match redacted. Opt-in (`optIn`):
 * searching every text file costs far more than reading package databases, so it runs only when
 * a scan names it (the `secret` scanner), as Trivy does.
 */
export const secretsAnalyzer: Analyzer = {
  id: 'secrets',
  // bump with the secret rules (test/inventory/secrets-analyzer-version.test.ts): cached layers keep
  // the findings of the rules they were read with
  version: 2,
  kind: 'lang',
  optIn: true,
  required(path, size) {
    if (size === 0 || size > MAX_BYTES) return false;
    for (const p of SKIP_PREFIXES) if (path.startsWith(p)) return false;
    const rooted = `/${path}`;
    for (const s of SKIP_SEGMENTS) if (rooted.includes(s)) return false;
    return !BINARY_EXT.has(extension(path));
  },
  analyze(file) {
    const r = scanSecrets(file.content, { maxBytes: MAX_BYTES });
    if (r.skipped || r.findings.length === 0) return {};
    const facts: AnalyzerFact[] = r.findings.map((f) => ({
      kind: 'secret',
      data: {
        ruleId: f.ruleId,
        title: f.title,
        severity: f.severity,
        line: f.line,
        column: f.column,
        match: f.match,
      },
    }));
    return { facts };
  },
};
