import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { classifyDirectory } from '../../src/scan/index.js';
import { hasStackTrace, runCli } from '../cli/helpers.js';
import { FIXTURES, spdxValidator } from './sample.js';

interface JsonFinding {
  id: string;
  fixedVersion: string | null;
  package: { name: string; version: string; ecosystem: string };
  layer: { diffId: string } | null;
}
interface JsonReport {
  target: { kind: string; name: string };
  findings: JsonFinding[];
  packages: { name: string; ecosystem: string }[];
}
interface Cdx {
  metadata: { component: { type: string; properties?: { name: string; value: string }[] } };
  components: { type: string; name: string; purl?: string }[];
}

const TS = '2026-11-22T12:00:00Z';
const findingKeys = (r: JsonReport) =>
  r.findings
    .map((f) =>
      [f.id, f.package.ecosystem, f.package.name, f.package.version, f.fixedVersion, f.layer?.diffId].join(
        ' ',
      ),
    )
    .sort();

describe('bulwark sbom / sbom scan / fs (end to end, from source)', () => {
  let tmp: string;
  let env: Record<string, string>;
  let db: string;
  let imageReport: JsonReport;

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'bw-sbom-cli-'));
    env = { XDG_CACHE_HOME: path.join(tmp, 'cache') };
    // builds the bundled demo database as a side effect
    const run = await runCli(['image', '--format', 'json'], env);
    assert.equal(run.code, 0, run.stderr);
    imageReport = JSON.parse(run.stdout) as JsonReport;
    db = path.join(tmp, 'cache', 'bulwark', 'demo', 'bulwark-demo.db');
  });
  after(async () => rm(tmp, { recursive: true, force: true }));

  for (const format of ['cyclonedx', 'spdx-json'] as const) {
    it(`${format}: an SBOM of the demo image, scanned, gives the same findings as \`bulwark image\``, async () => {
      const file = path.join(tmp, `demo.${format}.json`);
      const gen = await runCli(['sbom', '--format', format, '--timestamp', TS, '-o', file], env);
      assert.equal(gen.code, 0, gen.stderr);
      const text = await readFile(file, 'utf8');
      if (format === 'cyclonedx')
        assert.equal(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text), null);
      else assert.equal(spdxValidator()(JSON.parse(text)), null);
      const scan = await runCli(
        ['sbom', 'scan', file, '--db', db, '--max-db-age', '100000', '--format', 'json'],
        env,
      );
      assert.equal(scan.code, 0, scan.stderr);
      const report = JSON.parse(scan.stdout) as JsonReport;
      assert.equal(report.target.kind, 'sbom');
      assert.ok(imageReport.findings.length > 30);
      assert.deepEqual(findingKeys(report), findingKeys(imageReport));
    });
  }

  it('writes byte-identical documents for the same content and --timestamp', async () => {
    const a = await runCli(['sbom', '--format', 'spdx-json', '--timestamp', TS], env);
    const b = await runCli(['sbom', '--format', 'spdx-json', '--timestamp', TS], env);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
  });

  it('scans a project folder with `fs` and describes it (auto-detected as a folder) with `sbom`', async () => {
    const project = path.join(tmp, 'project');
    await mkdir(path.join(project, 'node_modules', 'lodash'), { recursive: true });
    await writeFile(
      path.join(project, 'node_modules', 'lodash', 'package.json'),
      JSON.stringify({ name: 'lodash', version: '4.17.15', license: 'MIT', main: 'lodash.js' }),
    );
    const scan = await runCli(['fs', project, '--db', db, '--max-db-age', '100000', '--format', 'json'], env);
    assert.equal(scan.code, 0, scan.stderr);
    const report = JSON.parse(scan.stdout) as JsonReport;
    assert.equal(report.target.kind, 'fs');
    assert.ok(report.findings.some((f) => f.id === 'CVE-2021-23337' && f.package.name === 'lodash'));

    const sbom = await runCli(['sbom', project, '--timestamp', TS], env);
    assert.equal(sbom.code, 0, sbom.stderr);
    const bom = JSON.parse(sbom.stdout) as Cdx;
    assert.equal(bom.metadata.component.type, 'application');
    const kind = bom.metadata.component.properties?.find((p) => p.name === 'bulwark:target:kind');
    assert.equal(kind?.value, 'fs');
    assert.deepEqual(
      bom.components.map((c) => c.purl),
      ['pkg:npm/lodash@4.17.15'],
    );
  });

  it('describes a directory holding var/lib/dpkg as a root filesystem, with the OS and distro-qualified purls', async () => {
    const root = path.join(tmp, 'rootfs');
    await mkdir(path.join(root, 'etc'), { recursive: true });
    await mkdir(path.join(root, 'var', 'lib', 'dpkg'), { recursive: true });
    await writeFile(
      path.join(root, 'etc', 'os-release'),
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n',
    );
    await writeFile(
      path.join(root, 'var', 'lib', 'dpkg', 'status'),
      'Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n\n',
    );
    assert.equal(await classifyDirectory(root), 'rootfs');
    assert.equal(await classifyDirectory(path.join(tmp, 'project')), 'fs');
    const run = await runCli(['sbom', root, '--timestamp', TS], env);
    assert.equal(run.code, 0, run.stderr);
    const bom = JSON.parse(run.stdout) as Cdx;
    assert.equal(bom.metadata.component.type, 'container');
    assert.ok(bom.components.some((c) => c.type === 'operating-system' && c.name === 'debian'));
    const zlib = bom.components.find((c) => c.name === 'zlib1g');
    assert.equal(zlib?.purl, 'pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12');
  });

  it('scans an SBOM from another tool, and rejects a broken one with a typed error and no stack trace', async () => {
    const trivy = await runCli(
      [
        'sbom',
        'scan',
        path.join(FIXTURES, 'trivy-cyclonedx-1.5.json'),
        '--db',
        db,
        '--max-db-age',
        '100000',
        '--format',
        'json',
      ],
      env,
    );
    assert.equal(trivy.code, 0, trivy.stderr);
    const report = JSON.parse(trivy.stdout) as JsonReport;
    assert.equal(report.packages.length, 6);
    const bad = path.join(tmp, 'bad.json');
    await writeFile(bad, '{"bomFormat": "CycloneDX", "specVersion": "1.6", ');
    const run = await runCli(['sbom', 'scan', bad, '--db', db], env);
    assert.equal(run.code, 5);
    assert.match(run.stderr, /error\[MALFORMED_INPUT\] .*bad\.json/);
    assert.ok(!hasStackTrace(run.stderr));
  });
});
