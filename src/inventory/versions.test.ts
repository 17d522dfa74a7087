import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANALYZERS, defaultAnalyzers } from './registry.js';
import { ANALYZER_INFO, analyzerVersions } from './versions.js';

describe('analyzer version table', () => {
  it('names exactly the registered analyzers, sorted', () => {
    assert.deepEqual(Object.keys(ANALYZER_INFO), Object.keys(ANALYZERS));
  });

  it("holds each module's own version, opt-in flag and targets (bump both together)", async () => {
    for (const [id, load] of Object.entries(ANALYZERS)) {
      const a = await load();
      assert.deepEqual(
        { version: a.version, optIn: a.optIn === true, targets: a.targets ?? null },
        {
          version: ANALYZER_INFO[id]!.version,
          optIn: ANALYZER_INFO[id]!.optIn === true,
          targets: ANALYZER_INFO[id]!.targets ?? null,
        },
        `${id}: src/inventory/versions.ts differs from analyzers/${id}.ts`,
      );
    }
  });

  it('selects what defaultAnalyzers loads, for every target and with an opt-in analyzer named', async () => {
    const ids = Object.keys(ANALYZERS);
    for (const target of [undefined, 'image', 'rootfs', 'fs'] as const)
      for (const wanted of [undefined, ids, ['secrets', 'dpkg', 'yarn'], ['pnpm']]) {
        const loaded = (await defaultAnalyzers(wanted, target)).map((a) => ({
          id: a.id,
          version: a.version,
        }));
        assert.deepEqual(analyzerVersions(wanted, target), loaded, `${target} ${wanted?.join(',')}`);
      }
  });
});
