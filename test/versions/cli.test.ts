import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const ROOT = new URL('../../', import.meta.url).pathname;
const ENTRY =
  'const {main}=await import("./src/cli/main.ts"); process.exitCode=await main(process.argv.slice(1));';

/** Runs the real CLI in a child process, as a user would. */
function bulwark(args: string[], input = ''): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', ENTRY, '--', ...args],
    {
      cwd: ROOT,
      input,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bulwark version compare on malformed versions', () => {
  it('says "invalid version", naming the version and the ecosystem, with exit 17 (text)', () => {
    const r = bulwark(['version', 'compare', '-e', 'Debian:12', '1.0-', '1.0']);
    assert.equal(r.code, 17);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `error[INVALID_VERSION] "1.0-": invalid version in Debian:12 (dpkg: the ecosystem's own tool rejects it)\n`,
    );
  });

  it('still answers in JSON, listing the rejected versions, with exit 17 (--format json)', () => {
    const r = bulwark(['version', 'compare', '-e', 'Packagist', '--format', 'json', '1.0.0', ' ']);
    assert.equal(r.code, 17);
    assert.deepEqual(JSON.parse(r.stdout), [{ a: '1.0.0', b: ' ', result: null, invalid: [' '] }]);
    assert.match(r.stderr, /^error\[INVALID_VERSION\] " ": invalid version in Packagist /);
  });

  it('orders what the ecosystem itself orders instead of rejecting it (rpm, Maven)', () => {
    const rpm = bulwark(['version', 'compare', '-e', 'Red Hat', '1.0-', '1.0']);
    assert.deepEqual([rpm.code, rpm.stdout], [0, '1\n']);
    const maven = bulwark(['version', 'compare', '-e', 'Maven', '', '0']);
    assert.deepEqual([maven.code, maven.stdout], [0, '0\n']);
  });

  it('marks invalid stdin lines with ! (text) or invalid (JSON) and exits 0', () => {
    const input = '=1.2.3\t1.2.3\n1.2.3\tv1.2.3\n\t1.0.0\n';
    const text = bulwark(['version', 'compare', '-e', 'npm'], input);
    assert.deepEqual([text.code, text.stdout], [0, '!\n0\n!\n']);
    const json = bulwark(['version', 'compare', '-e', 'npm', '-f', 'json'], input);
    assert.equal(json.code, 0);
    assert.deepEqual(JSON.parse(json.stdout), [
      { a: '=1.2.3', b: '1.2.3', result: null, invalid: ['=1.2.3'] },
      { a: '1.2.3', b: 'v1.2.3', result: 0 },
      { a: '', b: '1.0.0', result: null, invalid: [''] },
    ]);
  });

  it('documents exit 17 in --help', () => {
    const r = bulwark(['version', 'compare', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /17 invalid version/);
  });
});
