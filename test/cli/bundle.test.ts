import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO, runCli } from './helpers.js';

const execFileP = promisify(execFile);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-bundle-'));
// inside the repository, so the bundle finds node_modules and data/ as dist/bundle does
const out = mkdtempSync(path.join(REPO, 'dist-test-bundle-'));
after(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

/** Runs the bundled CLI the way bin/bulwark.js does. */
async function runBundle(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const entry = path.join(tmp, 'run.mjs');
  writeFileSync(
    entry,
    `import { main } from ${JSON.stringify(path.join(out, 'cli.mjs'))};\nprocess.exitCode = await main(process.argv.slice(2));\n`,
  );
  try {
    const r = await execFileP(process.execPath, [entry, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: os.homedir(),
        NO_COLOR: '1',
        BULWARK_CACHE_DIR: path.join(tmp, 'cache'),
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('the bundled CLI (what bin/bulwark.js runs) behaves as the source does', () => {
  before(async () => {
    await execFileP(process.execPath, [path.join(REPO, 'scripts', 'bundle.mjs'), out]);
  });

  it('scans the demo image to the same JSON report', async () => {
    const bundled = await runBundle(['image', '--format', 'json']);
    const source = await runCli(['image', '--format', 'json'], {
      BULWARK_CACHE_DIR: path.join(tmp, 'cache-src'),
    });
    assert.equal(bundled.code, source.code, bundled.stderr);
    // the two runs built their demo databases a moment apart: times differ, nothing else may
    const strip = (t: string) => JSON.parse(t.replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"<time>"')) as unknown;
    assert.deepEqual(strip(bundled.stdout), strip(source.stdout));
  });

  it('loads lazily imported pieces: zstd layers, rule families, the CycloneDX writer', async () => {
    const cdx = await runBundle(['image', '--format', 'cyclonedx']);
    assert.equal(cdx.code, 0, cdx.stderr);
    assert.equal((JSON.parse(cdx.stdout) as { bomFormat: string }).bomFormat, 'CycloneDX');
    const config = await runBundle(['config', path.join(REPO, 'examples', 'Dockerfile'), '--format', 'json']);
    assert.ok((JSON.parse(config.stdout) as { findings: unknown[] }).findings.length > 5, config.stderr);
  });

  it('keeps typed errors and exit codes', async () => {
    const r = await runBundle(['image', '--input', '/nonexistent/image.tar']);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^error\[INPUT_NOT_FOUND\] \/nonexistent\/image\.tar/m);
  });
});
