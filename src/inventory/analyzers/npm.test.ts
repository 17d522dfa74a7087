import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInstalledPackageJson, npmAnalyzer } from './npm.js';

describe('npm analyzer', () => {
  it('wants only the manifests of installed packages', () => {
    for (const p of [
      'usr/src/app/node_modules/lodash/package.json',
      'node_modules/@babel/core/package.json',
      'app/node_modules/a/node_modules/b/package.json',
      'usr/lib/node_modules/npm/package.json',
    ]) {
      assert.equal(isInstalledPackageJson(p), true, p);
    }
    for (const p of [
      'usr/src/app/package.json',
      'node_modules/lodash/fp/package.json',
      'node_modules/.package-lock.json',
      'node_modules/.bin/package.json',
      'node_modules/@scope/package.json',
      'my_node_modules/x/package.json',
      'node_modules/x/package.json.bak',
    ]) {
      assert.equal(isInstalledPackageJson(p), false, p);
    }
  });

  it('turns a manifest into an npm package with purl and location', () => {
    const out = npmAnalyzer.analyze(
      {
        path: 'srv/node_modules/@babel/core/package.json',
        content: Buffer.from('{"name":"@babel/core","version":"7.23.0","license":"MIT"}'),
        size: 60,
        mode: 0o644,
      },
      { maxBytes: 1 << 20 },
    );
    assert.deepEqual(out.packages, [
      {
        name: '@babel/core',
        version: '7.23.0',
        ecosystem: 'npm',
        type: 'lang',
        purl: 'pkg:npm/%40babel/core@7.23.0',
        location: 'srv/node_modules/@babel/core/package.json',
        licenses: ['MIT'],
      },
    ]);
  });

  it('degrades a broken manifest to a warning naming the file', () => {
    const out = npmAnalyzer.analyze(
      { path: 'node_modules/x/package.json', content: Buffer.from('{'), size: 1, mode: 0o644 },
      { maxBytes: 1 << 20 },
    );
    assert.deepEqual(out.packages, []);
    assert.equal(out.warnings?.[0]?.input, 'node_modules/x/package.json');
  });
});
