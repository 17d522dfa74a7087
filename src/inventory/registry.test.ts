import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ANALYZERS, defaultAnalyzers } from './registry.js';

const files = readdirSync(new URL('./analyzers/', import.meta.url))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

describe('analyzer registry', () => {
  it('is sorted and lists every analyzer file', () => {
    const ids = Object.keys(ANALYZERS);
    assert.deepEqual(ids, [...ids].sort());
    assert.deepEqual(ids, files);
  });

  it('has unique ids equal to the registry keys, versions and kinds set', async () => {
    const analyzers = await defaultAnalyzers();
    assert.equal(new Set(analyzers.map((a) => a.id)).size, analyzers.length);
    for (const [key, load] of Object.entries(ANALYZERS)) {
      const a = await load();
      assert.equal(a.id, key);
      assert.ok(Number.isInteger(a.version) && a.version >= 1, `${key} version`);
      assert.ok(['os', 'os-packages', 'lang'].includes(a.kind), `${key} kind`);
      assert.equal(typeof a.required('usr/bin/ls', 10), 'boolean');
      assert.equal(a.required('usr/bin/ls', 10), false, `${key} must not want arbitrary files`);
    }
  });

  it('loads a subset by id in registry order', async () => {
    assert.deepEqual(
      (await defaultAnalyzers(['rpm', 'dpkg'])).map((a) => a.id),
      ['dpkg', 'rpm'],
    );
  });
});

describe('analyzer targets', () => {
  it('keeps analyzers without targets for every kind of scan', async () => {
    for (const t of ['image', 'rootfs', 'fs'] as const) {
      const ids = (await defaultAnalyzers(undefined, t)).map((a) => a.id);
      assert.ok(ids.includes('dpkg') && ids.includes('npm'), t);
    }
  });

  it('drops an analyzer whose targets exclude the scan kind', async () => {
    for (const [id, load] of Object.entries(ANALYZERS)) {
      const a = await load();
      if (!a.targets) continue;
      for (const t of ['image', 'rootfs', 'fs'] as const) {
        const ids = (await defaultAnalyzers(undefined, t)).map((x) => x.id);
        assert.equal(ids.includes(id), a.targets.includes(t), `${id} in ${t}`);
      }
    }
  });
});
