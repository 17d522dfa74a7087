// Differential test: our dpkg analyzer against Debian's own dpkg-query on databases built by dpkg.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dpkgAnalyzer } from '../../src/inventory/analyzers/dpkg.js';
import { isPresentState } from '../../src/ecosystems/debian/parse.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-dpkg-'));
const root = path.join(tmp, 'root');
const admin = path.join(root, 'var/lib/dpkg');

interface DebSpec {
  name: string;
  version: string;
  arch: string;
  extra?: string;
  conffile?: boolean;
  postinstFails?: boolean;
}

function buildDeb(spec: DebSpec): string {
  const dir = path.join(tmp, `src-${spec.name}-${spec.arch}`);
  mkdirSync(path.join(dir, 'DEBIAN'), { recursive: true });
  mkdirSync(path.join(dir, 'usr/share', `${spec.name}-${spec.arch}`), { recursive: true });
  writeFileSync(path.join(dir, 'usr/share', `${spec.name}-${spec.arch}`, 'f'), spec.name);
  const control = [
    `Package: ${spec.name}`,
    `Version: ${spec.version}`,
    `Architecture: ${spec.arch}`,
    'Maintainer: Test <test@example.org>',
    ...(spec.extra ? [spec.extra] : []),
    'Description: test package',
    ' with a continuation line',
    ' .',
    ' and a paragraph break',
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'DEBIAN/control'), control);
  if (spec.conffile) {
    mkdirSync(path.join(dir, 'etc'), { recursive: true });
    writeFileSync(path.join(dir, 'etc', `${spec.name}.conf`), 'x=1\n');
    writeFileSync(path.join(dir, 'DEBIAN/conffiles'), `/etc/${spec.name}.conf\n`);
  }
  if (spec.postinstFails) {
    writeFileSync(path.join(dir, 'DEBIAN/postinst'), '#!/bin/sh\nexit 1\n');
    chmodSync(path.join(dir, 'DEBIAN/postinst'), 0o755);
  }
  const out = path.join(tmp, `${spec.name}_${spec.arch}.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', dir, out], { stdio: 'ignore' });
  return out;
}

const DPKG_BASE = [
  `--root=${root}`,
  `--admindir=${admin}`,
  '--force-not-root',
  '--force-script-chrootless',
  '--force-architecture',
  '--log=/dev/null',
];

function dpkg(...args: string[]): void {
  // failures are expected for the broken postinst; the state is what we test
  spawnSync('dpkg', [...DPKG_BASE, ...args], { stdio: 'ignore' });
}

function dpkgQuery(adminDir: string): string[] {
  const out = execFileSync(
    'dpkg-query',
    [`--admindir=${adminDir}`, '-W', '-f=${db:Status-Status}\\t${Package}\\t${Version}\\t${Architecture}\\n'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return out.split('\n').filter(Boolean);
}

function ours(statusFile: string): string[] {
  const content = readFileSync(statusFile);
  const res = dpkgAnalyzer.analyze(
    { path: 'var/lib/dpkg/status', content, size: content.length, mode: 0o644 },
    { maxBytes: 64 << 20 },
  );
  return (res.packages ?? []).map((p) => `${p.name}\t${p.version}\t${p.arch ?? ''}`).sort();
}

/** dpkg-query lists every package not `not-installed`; we list those whose files are on disk. */
function expected(lines: string[]): string[] {
  return lines
    .map((l) => l.split('\t'))
    .filter(([state]) => isPresentState(state ?? ''))
    .map((f) => f.slice(1).join('\t'))
    .sort();
}

describe('dpkg analyzer vs dpkg-query', () => {
  before(() => {
    mkdirSync(path.join(admin, 'info'), { recursive: true });
    mkdirSync(path.join(admin, 'updates'), { recursive: true });
    writeFileSync(path.join(admin, 'status'), '');
    dpkg('--add-architecture', 'i386');
    const debs = [
      buildDeb({ name: 'alpha', version: '1:2.0-1', arch: 'amd64', extra: 'Source: alpha-src (1:2.0-0.1)' }),
      buildDeb({ name: 'beta', version: '3.0~rc1-2', arch: 'all', extra: 'Source: betasrc' }),
      buildDeb({ name: 'gamma', version: '1.0-1', arch: 'amd64', extra: 'Multi-Arch: same' }),
      buildDeb({ name: 'gamma', version: '1.0-1', arch: 'i386', extra: 'Multi-Arch: same' }),
      buildDeb({ name: 'delta', version: '0.1', arch: 'amd64', conffile: true }),
      buildDeb({ name: 'epsilon', version: '2:0.9+dfsg-3ubuntu1', arch: 'amd64' }),
      buildDeb({ name: 'zeta', version: '5', arch: 'amd64' }),
    ];
    const [alpha, beta, gammaA, gammaI, delta, epsilon, zeta] = debs;
    dpkg('-i', alpha!, beta!, gammaA!, gammaI!, delta!, epsilon!);
    // remove delta keeping its conffile -> `deinstall ok config-files`
    dpkg('-r', 'delta');
    // hold beta -> `hold ok installed`
    spawnSync('dpkg', [...DPKG_BASE, '--set-selections'], { input: 'beta hold\n' });
    // zeta is only unpacked; the failing postinst of eta leaves it half-configured
    dpkg('--unpack', zeta!);
    dpkg('-i', buildDeb({ name: 'eta', version: '1.2.3-1', arch: 'amd64', postinstFails: true }));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('built the states we test', () => {
    const states = new Map(dpkgQuery(admin).map((l) => [l.split('\t')[1] ?? '', l.split('\t')[0]]));
    assert.equal(states.get('delta'), 'config-files');
    assert.equal(states.get('zeta'), 'unpacked');
    assert.equal(states.get('eta'), 'half-configured');
    assert.equal(states.get('alpha'), 'installed');
    assert.match(readFileSync(path.join(admin, 'status'), 'utf8'), /Status: hold ok installed/);
  });

  it('lists exactly the packages dpkg-query reports as present', () => {
    const want = expected(dpkgQuery(admin));
    assert.ok(want.includes('gamma\t1.0-1\ti386') && want.includes('gamma\t1.0-1\tamd64'));
    assert.deepEqual(ours(path.join(admin, 'status')), want);
    assert.ok(!ours(path.join(admin, 'status')).some((l) => l.startsWith('delta\t')));
  });

  it('keeps source name and version', () => {
    const content = readFileSync(path.join(admin, 'status'));
    const pkgs = dpkgAnalyzer.analyze(
      { path: 'var/lib/dpkg/status', content, size: content.length, mode: 0o644 },
      { maxBytes: 1 << 20 },
    ).packages!;
    const alpha = pkgs.find((p) => p.name === 'alpha')!;
    assert.equal(alpha.sourceName, 'alpha-src');
    assert.equal(alpha.sourceVersion, '1:2.0-0.1');
    const beta = pkgs.find((p) => p.name === 'beta')!;
    assert.equal(beta.sourceName, 'betasrc');
    assert.equal(beta.sourceVersion, undefined);
    assert.equal(pkgs.find((p) => p.name === 'epsilon')!.sourceName, undefined);
    assert.equal(alpha.purl, 'pkg:deb/debian/alpha@1:2.0-1?arch=amd64');
  });

  it("equals dpkg-query on this machine's real status file", () => {
    const copy = path.join(tmp, 'host');
    mkdirSync(copy, { recursive: true });
    writeFileSync(path.join(copy, 'status'), readFileSync('/var/lib/dpkg/status'));
    const want = expected(dpkgQuery(copy));
    assert.ok(want.length > 100, `only ${want.length} packages on the host`);
    assert.deepEqual(ours(path.join(copy, 'status')), want);
  });
});
