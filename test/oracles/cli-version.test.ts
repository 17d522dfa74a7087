import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const ROOT = new URL('../../', import.meta.url).pathname;
const ENTRY =
  'const {main}=await import("./src/cli/main.ts"); process.exitCode=await main(process.argv.slice(1));';

/** Runs the real CLI in a child process, as a user would, feeding stdin. */
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

describe('bulwark version compare', () => {
  it('compares two versions given as arguments', () => {
    const r = bulwark(['version', 'compare', '--ecosystem', 'Debian:12', '1:1.0~rc1-1', '1:1.0-1']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '-1\n');
  });

  it('reads A<TAB>B lines from stdin and marks invalid versions with !', () => {
    const input = '1.0\t1.0.0\n2.0a1\t2.0\r\nnot-a-version\t1.0\n\n1.0.post1\t1.0\nno-tab-here\n';
    const r = bulwark(['version', 'compare', '-e', 'PyPI'], input);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '0\n-1\n!\n1\n!\n');
  });

  it('prints a JSON array with --format json', () => {
    const r = bulwark(
      ['version', 'compare', '-e', 'Maven', '--format', 'json'],
      '1.0-SNAPSHOT\t1.0\n1.0\t1.0.0\n',
    );
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), [
      { a: '1.0-SNAPSHOT', b: '1.0', result: -1 },
      { a: '1.0', b: '1.0.0', result: 0 },
    ]);
  });

  it('fails with UNSUPPORTED for an unknown ecosystem and INVALID_VERSION for a bad argument', () => {
    const unknown = bulwark(['version', 'compare', '-e', 'Hackage', '1', '2']);
    assert.equal(unknown.code, 16);
    assert.match(unknown.stderr, /^error\[UNSUPPORTED\] Hackage:/);
    const bad = bulwark(['version', 'compare', '-e', 'npm', '1.0', '2.0.0']);
    assert.equal(bad.code, 17);
    assert.match(bad.stderr, /^error\[INVALID_VERSION\] "1\.0": invalid version in npm /);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  });
});
