import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readPackageManifest } from './manifest.js';

describe('readPackageManifest', () => {
  it('splits production and development roots, resolving aliases, local and workspace specs', () => {
    const r = readPackageManifest(
      JSON.stringify({
        name: 'app',
        dependencies: {
          a: '^1.0.0',
          alias: 'npm:@scope/real@~2.1',
          both: '1.0.0',
          local: 'file:../lib',
          berry: 'npm:^3.1.0',
          exact: 'npm:4.0.0',
          any: 'npm:other',
        },
        optionalDependencies: { opt: '3' },
        peerDependencies: { peer: '>=4' },
        devDependencies: { both: '1.0.0', d: 'latest', member: 'workspace:*' },
        workspaces: { packages: ['packages/*', '!packages/old'] },
      }),
    )!;
    assert.deepEqual(r.prod, [
      { name: 'a', req: '^1.0.0' },
      { name: '@scope/real', req: '~2.1' },
      { name: 'both', req: '1.0.0' },
      { name: 'local', req: '', path: '../lib' },
      { name: 'berry', req: '^3.1.0' },
      { name: 'exact', req: '4.0.0' },
      { name: 'other', req: '' },
      { name: 'opt', req: '3' },
      { name: 'peer', req: '>=4' },
    ]);
    // a name in both lists is installed for production
    assert.deepEqual(r.dev, [
      { name: 'd', req: 'latest' },
      { name: 'member', req: '', workspace: true },
    ]);
    assert.deepEqual(r.workspaces, ['packages/*']);
    assert.deepEqual(r.excluded, ['packages/old']);
    assert.equal(r.name, 'app');
  });

  it('reads nothing from a file that is not a JSON object', () => {
    assert.equal(readPackageManifest('{'), undefined);
    assert.equal(readPackageManifest('[]'), undefined);
  });
});
