import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ociPurl, writeCycloneDxVex, writeOpenVex } from '../../src/vex/index.js';
import { TestServer } from '../server/harness.js';
import { hasStackTrace, runCli } from './helpers.js';

interface Finding {
  id: string;
  aliases: string[];
  package: { name: string; purl: string };
  vex?: { status: string; statement: string | null; source: string };
}
interface Report {
  target: { digest: string; repoTags: string[] };
  findings: Finding[];
  suppressed: (Finding & { suppression: { reason: string; rule: string } })[];
  summary: { suppressed: number; filtered: { severity: number } };
}

const META = {
  id: 'urn:uuid:6f1d0c1e-8f9e-4c8a-9a55-3f1b2c7d9e01',
  author: 'test',
  timestamp: '2026-11-01T00:00:00Z',
};

describe('bulwark image --vex', () => {
  let dir: string;
  let env: Record<string, string>;
  let base: Report;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bw-vex-'));
    env = { XDG_CACHE_HOME: dir };
    const run = await runCli(['image', '--format', 'json', '--scanners', 'vuln'], env);
    assert.equal(run.code, 0, run.stderr);
    base = JSON.parse(run.stdout) as Report;
    assert.ok(base.findings.some((f) => f.id === 'CVE-2022-1664'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('suppresses not_affected and fixed with the statement as the reason, annotates the others', async () => {
    const image = ociPurl('docker.io/library/demo', base.target.digest);
    const ov = path.join(dir, 'a.openvex.json');
    await writeFile(
      ov,
      JSON.stringify(
        writeOpenVex(
          [
            {
              vulnId: 'CVE-2022-1664',
              aliases: [],
              status: 'not_affected',
              justification: 'vulnerable_code_not_in_execute_path',
              impactStatement: 'dpkg never unpacks untrusted archives here',
              products: [{ purl: image, packages: ['pkg:deb/debian/dpkg'] }],
            },
            // the same CVE, said of another image: does not apply here
            {
              vulnId: 'CVE-2021-44228',
              aliases: [],
              status: 'not_affected',
              justification: 'component_not_present',
              products: [
                { purl: ociPurl('docker.io/library/demo', 'sha256:' + '0'.repeat(64)), packages: [] },
              ],
            },
            {
              vulnId: 'DSA-5197-1',
              aliases: [],
              status: 'under_investigation',
              statusNotes: 'checking whether curl runs at all',
              products: [{ purl: 'pkg:deb/debian/curl', packages: [] }],
            },
          ],
          META,
        ),
      ),
    );
    const cdx = path.join(dir, 'b.cdx.json');
    await writeFile(
      cdx,
      JSON.stringify(
        writeCycloneDxVex(
          [
            {
              vulnId: 'CVE-2022-32221',
              aliases: [],
              status: 'fixed',
              products: [{ purl: 'pkg:deb/debian/libcurl4', packages: [] }],
            },
          ],
          { ...META, serialNumber: META.id },
        ),
      ),
    );
    const run = await runCli(
      ['image', '--format', 'json', '--scanners', 'vuln', '--vex', ov, '--vex', cdx],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const r = JSON.parse(run.stdout) as Report;
    const dpkg = r.suppressed.find((f) => f.id === 'CVE-2022-1664')!;
    assert.ok(dpkg, 'dpkg CVE suppressed');
    assert.equal(dpkg.suppression.rule, `vex:${ov}`);
    assert.match(
      dpkg.suppression.reason,
      /^VEX not_affected \(vulnerable_code_not_in_execute_path\): dpkg never/,
    );
    assert.ok(
      r.findings.some((f) => f.id === 'CVE-2021-44228'),
      'a statement about another image does not apply',
    );
    // CycloneDX statement by alias: the libcurl4 finding carrying CVE-2022-32221 is suppressed, curl's is not
    const byAlias = r.suppressed.filter((f) => f.id !== 'CVE-2022-1664');
    assert.ok(byAlias.length >= 1);
    assert.ok(
      byAlias.every(
        (f) =>
          f.package.name === 'libcurl4' &&
          (f.id === 'CVE-2022-32221' || f.aliases.includes('CVE-2022-32221')),
      ),
    );
    assert.ok(r.findings.some((f) => f.package.name === 'curl' && f.aliases.includes('CVE-2022-32221')));
    const curl = r.findings.find((f) => f.id === 'DSA-5197-1' && f.package.name === 'curl')!;
    assert.deepEqual(curl.vex, {
      status: 'under_investigation',
      statement: 'checking whether curl runs at all',
      source: ov,
    });
    assert.equal(
      r.findings.find((f) => f.id === 'DSA-5197-1' && f.package.name === 'libcurl4')!.vex,
      undefined,
    );
    assert.equal(r.findings.length + r.suppressed.length, base.findings.length);
    assert.equal(r.summary.suppressed, r.suppressed.length);

    const table = await runCli(['image', '--scanners', 'vuln', '--vex', ov, '--vex', cdx], env);
    assert.match(
      table.stdout,
      new RegExp(`Suppressed: ${r.suppressed.length} \\(ignore file: 0, VEX: ${r.suppressed.length}\\)`),
    );
    assert.match(table.stdout, /VEX: 0 affected, 1 under investigation/);
    assert.match(table.stdout, /DSA-5197-1 \[VEX investigating\]/);
  });

  it('fails with a typed error naming a bad or missing VEX document, never a stack trace', async () => {
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [');
    const r1 = await runCli(['image', '--scanners', 'vuln', '--vex', bad], env);
    assert.equal(r1.code, 5, r1.stderr);
    assert.match(r1.stderr, /MALFORMED_INPUT/);
    assert.ok(r1.stderr.includes(bad));
    assert.ok(!hasStackTrace(r1.stderr));
    const r2 = await runCli(['image', '--scanners', 'vuln', '--vex', path.join(dir, 'missing.json')], env);
    assert.equal(r2.code, 4, r2.stderr);
    const other = path.join(dir, 'sbom.json');
    await writeFile(other, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [] }));
    const r3 = await runCli(['image', '--scanners', 'vuln', '--vex', other], env);
    assert.equal(r3.code, 16, r3.stderr);
  });

  describe('from a bulwark server', () => {
    let s: TestServer;
    let viewer: Awaited<ReturnType<TestServer['userWithToken']>>;
    let imageId: number;
    let plain: Server;
    let plainUrl: string;
    const seenAuth: (string | undefined)[] = [];
    before(async () => {
      s = await TestServer.start({ kind: 'sqlite' }, { maxReportBytes: 4 * 1024 * 1024 });
      const analyst = await s.userWithToken('analyst');
      viewer = await s.userWithToken('viewer');
      const up = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: base });
      assert.equal(up.status, 201, up.text);
      imageId = (up.body as { imageId: number }).imageId;
      const d = await s.request('POST', '/api/v1/triage', {
        token: analyst.token,
        body: {
          vulnId: 'CVE-2022-1664',
          packageName: 'dpkg',
          status: 'not_affected',
          justification: 'component_not_present',
          scope: 'image',
          imageId,
        },
      });
      assert.equal(d.status, 201, d.text);
      const doc = await s.request('GET', `/api/v1/vex?image=${imageId}`, { token: viewer.token });
      plain = createServer((req, res) => {
        seenAuth.push(req.headers.authorization);
        res.setHeader('content-type', 'application/json');
        res.end(doc.text);
      });
      await new Promise<void>((ok) => plain.listen(0, '127.0.0.1', ok));
      plainUrl = `http://127.0.0.1:${(plain.address() as { port: number }).port}/vex.json`;
    });
    after(async () => {
      await s?.close();
      await new Promise((ok) => plain?.close(ok));
    });

    it('fetches the image’s VEX with BULWARK_TOKEN and applies it; refuses without a token', async () => {
      const url = `${s.url}/api/v1/vex?image=${imageId}`;
      const run = await runCli(['image', '--format', 'json', '--scanners', 'vuln', '--vex', url], {
        ...env,
        BULWARK_TOKEN: viewer.token,
      });
      assert.equal(run.code, 0, run.stderr);
      const r = JSON.parse(run.stdout) as Report;
      assert.deepEqual(
        r.suppressed.map((f) => [f.id, f.package.name, f.suppression.rule]),
        [['CVE-2022-1664', 'dpkg', `vex:${url}`]],
      );
      assert.match(r.suppressed[0]!.suppression.reason, /^VEX not_affected \(component_not_present\)/);
      const no = await runCli(['image', '--scanners', 'vuln', '--vex', url], env);
      assert.equal(no.code, 3, no.stderr);
      assert.match(no.stderr, /BULWARK_TOKEN/);
    });

    it('never sends the token to a URL that is not a bulwark server', async () => {
      const run = await runCli(['image', '--format', 'json', '--scanners', 'vuln', '--vex', plainUrl], {
        ...env,
        BULWARK_TOKEN: viewer.token,
      });
      assert.equal(run.code, 0, run.stderr);
      assert.equal((JSON.parse(run.stdout) as Report).suppressed.length, 1);
      assert.deepEqual(seenAuth, [undefined]);
    });
  });
});
