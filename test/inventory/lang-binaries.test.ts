import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import type { Inventory } from '../../src/core/types.js';
import { openOciLayout, scanImageInventory, scanRootfsInventory } from '../../src/image/index.js';
import { defaultAnalyzers, osEcosystem } from '../../src/inventory/index.js';
import { matchInventory } from '../../src/match/index.js';
import { writeZip, pomProperties } from '../../src/ecosystems/maven/__fixtures__/zip-writer.js';
import { sha256, tmpDir, writeOciLayout } from '../image/helpers.js';
import { loadFixtureRecords, memoryDb } from '../match/helpers.js';

/**
 * Go, Java and Rust binaries side by side in one root filesystem, scanned as a directory and as
 * an image layer packed by the real `tar`: what each analyzer finds, that a symlink to a binary
 * and a non-executable copy are not counted, and that a broken jar is a warning, not a failure.
 */
let dir = '';
let root = '';

function sh(cmd: string, args: string[], cwd?: string, env?: NodeJS.ProcessEnv): void {
  execFileSync(cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
}

function buildGo(out: string): void {
  const src = path.join(dir, 'go');
  mkdirSync(path.join(src, 'app'), { recursive: true });
  mkdirSync(path.join(src, 'dep'), { recursive: true });
  writeFileSync(path.join(src, 'dep', 'go.mod'), 'module example.com/dep\n\ngo 1.19\n');
  writeFileSync(path.join(src, 'dep', 'd.go'), 'package dep\n\nfunc V() int { return 1 }\n');
  writeFileSync(
    path.join(src, 'app', 'go.mod'),
    'module example.com/app\n\ngo 1.19\n\nrequire example.com/dep v0.4.0\n\nreplace example.com/dep => ../dep\n',
  );
  writeFileSync(
    path.join(src, 'app', 'main.go'),
    'package main\n\nimport "example.com/dep"\n\nfunc main() { println(dep.V()) }\n',
  );
  sh('go', ['build', '-o', out, '.'], path.join(src, 'app'), {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    GOPROXY: 'off',
    GOFLAGS: '-mod=mod',
    GOCACHE: path.join(dir, 'gocache'),
    GOPATH: path.join(dir, 'gopath'),
  });
}

function buildJar(out: string): void {
  const stage = path.join(dir, 'jar', 'BOOT-INF', 'lib');
  mkdirSync(stage, { recursive: true });
  copyFileSync(
    '/usr/share/maven-repo/commons-io/commons-io/2.11.0/commons-io-2.11.0.jar',
    path.join(stage, 'commons-io-2.11.0.jar'),
  );
  copyFileSync('/usr/share/java/commons-lang3.jar', path.join(stage, 'commons-lang3-3.12.0.jar'));
  sh('zip', ['-qr0', out, 'BOOT-INF'], path.join(dir, 'jar'));
}

function buildRust(out: string): void {
  const payload = path.join(dir, 'dep-v0');
  const audit = {
    packages: [
      { name: 'rusty', version: '0.1.0', source: 'local', dependencies: [1], root: true },
      { name: 'regex', version: '1.10.4', source: 'crates.io' },
    ],
  };
  writeFileSync(payload, deflateSync(JSON.stringify(audit)));
  sh('objcopy', ['--add-section', `.dep-v0=${payload}`, '/bin/true', out]);
}

function summary(inv: Inventory): string[] {
  return inv.packages
    .filter((p) => p.type === 'lang')
    .map((p) => `${p.ecosystem} ${p.name}@${p.version} ${p.location}`)
    .sort();
}

const EXPECTED = [
  'Go example.com/dep@v0.4.0 usr/local/bin/app',
  'Go stdlib@GOVERSION usr/local/bin/app',
  'Maven commons-io:commons-io@2.11.0 opt/app/app.jar!/BOOT-INF/lib/commons-io-2.11.0.jar',
  'Maven org.apache.commons:commons-lang3@3.12.0 opt/app/app.jar!/BOOT-INF/lib/commons-lang3-3.12.0.jar',
  'crates.io regex@1.10.4 usr/local/bin/rusty',
];

describe('language binaries in a root filesystem and an image', () => {
  let expected: string[] = [];
  before(async () => {
    dir = await tmpDir('bulwark-langbin-');
    root = path.join(dir, 'root');
    for (const d of ['usr/local/bin', 'opt/app', 'opt/data'])
      mkdirSync(path.join(root, d), { recursive: true });
    buildGo(path.join(root, 'usr/local/bin/app'));
    buildJar(path.join(root, 'opt/app/app.jar'));
    buildRust(path.join(root, 'usr/local/bin/rusty'));
    symlinkSync('app', path.join(root, 'usr/local/bin/app-link'));
    copyFileSync(path.join(root, 'usr/local/bin/app'), path.join(root, 'opt/data/app.copy'));
    chmodSync(path.join(root, 'opt/data/app.copy'), 0o644);
    writeFileSync(path.join(root, 'opt/app/broken.jar'), 'PK\x03\x04 this is not really a zip');
    const goVersion = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim().slice(2);
    expected = EXPECTED.map((l) => l.replace('GOVERSION', goVersion)).sort();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('scanRootfsInventory finds Go, Maven and crates.io packages with their files', async () => {
    const inv = await scanRootfsInventory(root, {
      analyzers: await defaultAnalyzers(undefined, 'rootfs'),
      osEcosystem,
    });
    assert.deepEqual(summary(inv), expected);
    const warn = inv.warnings.find((w) => w.code === 'JAVA_MALFORMED_INPUT');
    assert.equal(warn?.input, 'opt/app/broken.jar');
    const purls = inv.packages.map((p) => p.purl).sort();
    assert.ok(purls.includes('pkg:golang/example.com/dep@v0.4.0'));
    assert.ok(purls.includes('pkg:maven/commons-io/commons-io@2.11.0'));
    assert.ok(purls.includes('pkg:cargo/regex@1.10.4'));
  });

  it('the packages found are matched against real OSV records in their ecosystems', async () => {
    const vulnerable = path.join(dir, 'vuln');
    mkdirSync(path.join(vulnerable, 'opt'), { recursive: true });
    copyFileSync(path.join(root, 'usr/local/bin/app'), path.join(vulnerable, 'opt/app'));
    chmodSync(path.join(vulnerable, 'opt/app'), 0o755);
    const log4j = writeZip([
      {
        name: 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties',
        data: pomProperties('org.apache.logging.log4j', 'log4j-core', '2.14.1'),
      },
    ]);
    writeFileSync(
      path.join(vulnerable, 'opt/service.jar'),
      writeZip([{ name: 'lib/log4j-core.jar', data: log4j, method: 0 }]),
    );
    const inv = await scanRootfsInventory(vulnerable, {
      analyzers: await defaultAnalyzers(undefined, 'rootfs'),
      osEcosystem,
    });
    const result = matchInventory(inv, memoryDb(loadFixtureRecords().values()));
    const hits = result.findings.map((f) => `${f.package.name} ${f.records[0]}`).sort();
    // Go 1.19's stdlib predates every fix in GO-2025-3849; log4j-core 2.14.1 is Log4Shell's range
    assert.ok(hits.includes('stdlib GO-2025-3849'), hits.join(', '));
    assert.ok(hits.includes('org.apache.logging.log4j:log4j-core GHSA-jfh8-c2jp-5v3q'), hits.join(', '));
    const log = result.findings.find((f) => f.records[0] === 'GHSA-jfh8-c2jp-5v3q')!;
    assert.equal(log.package.location, 'opt/service.jar!/lib/log4j-core.jar');
  });

  it('an image layer packed by tar gives the same packages, attributed to the layer', async () => {
    const layerTar = execFileSync('tar', ['-C', root, '-cf', '-', '.'], { maxBuffer: 1 << 30 });
    const layout = path.join(dir, 'oci');
    const layer = {
      blob: layerTar,
      tar: layerTar,
      digest: sha256(layerTar),
      diffId: sha256(layerTar),
      mediaType: 'application/vnd.oci.image.layer.v1.tar',
    };
    await writeOciLayout(layout, [{ layers: [layer] }]);
    const source = await openOciLayout(layout);
    try {
      const inv = await scanImageInventory(source, {
        analyzers: await defaultAnalyzers(undefined, 'image'),
        osEcosystem,
      });
      assert.deepEqual(summary(inv), expected);
      assert.ok(inv.packages.filter((p) => p.type === 'lang').every((p) => p.layer?.diffId === layer.diffId));
      assert.ok(inv.warnings.some((w) => w.code === 'JAVA_MALFORMED_INPUT'));
    } finally {
      await source.close();
    }
  });
});
