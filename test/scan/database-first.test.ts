import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import type { Progress } from '../../src/core/progress.js';
import { scanFs, scanRootfs, scanSbom } from '../../src/scan/index.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-dbfirst-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const root = path.join(tmp, 'rootfs');
mkdirSync(path.join(root, 'var/lib/dpkg'), { recursive: true });
mkdirSync(path.join(root, 'etc'), { recursive: true });
writeFileSync(path.join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
writeFileSync(
  path.join(root, 'var/lib/dpkg/status'),
  'Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\n',
);
const sbom = path.join(tmp, 'bom.json');
writeFileSync(
  sbom,
  JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [] }),
);

/** Records every step a scan reports, so a test can tell whether it walked anything. */
function recording(): Progress & { steps: string[] } {
  const steps: string[] = [];
  return { steps, update: (l) => void steps.push(l), warn: (m) => void steps.push(`warn ${m}`), done() {} };
}

const missingDb = path.join(tmp, 'no-such.db');
const base = { cacheDir: path.join(tmp, 'cache'), dbPath: missingDb, toolVersion: 'test' };

describe('a scan that needs a database checks for it before it walks', () => {
  for (const [name, run] of [
    ['rootfs', (p: Progress) => scanRootfs(root, { ...base, progress: p })],
    ['fs', (p: Progress) => scanFs(root, { ...base, progress: p })],
    ['sbom scan', (p: Progress) => scanSbom(sbom, { ...base, progress: p })],
  ] as const) {
    it(`${name}: DATABASE error, nothing walked, and the offline ways named`, async () => {
      const progress = recording();
      await assert.rejects(run(progress), (e: unknown) => {
        assert.ok(e instanceof BulwarkError);
        assert.equal(e.code, 'DATABASE');
        assert.equal(e.input, missingDb);
        assert.match(e.message, /--mirror/);
        assert.match(e.message, /db import/);
        return true;
      });
      assert.deepEqual(progress.steps, []);
    });
  }

  it('a run without the vuln scanner needs no database', async () => {
    const report = await scanRootfs(root, { ...base, scanners: ['misconfig'] });
    assert.equal(report.findings.length, 0);
  });
});
