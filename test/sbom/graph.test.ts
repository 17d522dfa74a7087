import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { renderCycloneDxSbom } from '../../src/sbom/cyclonedx.js';
import { renderSpdxSbom } from '../../src/sbom/index.js';
import { sbomInventory } from '../../src/scan/index.js';
import type { Inventory } from '../../src/core/types.js';
import { spdxValidator, TIMESTAMP } from './sample.js';

// a real lockfile written by npm 11 against the registry (see that folder's README)
const LOCK_DIR = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'src',
  'ecosystems',
  'npm',
  '__fixtures__',
  'npm-lock-v3',
);

describe('SBOM of a project folder with a real package-lock.json: the dependency graph', () => {
  let dir: string;
  let inv: Inventory;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bw-sbom-graph-'));
    await copyFile(path.join(LOCK_DIR, 'package-lock.json'), path.join(dir, 'package-lock.json'));
    await copyFile(path.join(LOCK_DIR, 'package.json'), path.join(dir, 'package.json'));
    inv = await sbomInventory({ kind: 'fs', dir }, { cacheDir: dir });
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('finds the locked packages and their dependencies', () => {
    assert.equal(inv.target.kind, 'fs');
    assert.ok(inv.packages.length > 3, `${inv.packages.length} packages`);
    assert.ok(inv.packages.some((p) => p.dependsOn?.length));
  });

  it('CycloneDX: valid, with one dependencies entry per package whose refs all name components', async () => {
    const text = renderCycloneDxSbom(inv, { toolVersion: '0.1.0', timestamp: TIMESTAMP });
    assert.equal(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text), null);
    const bom = JSON.parse(text) as {
      components: { 'bom-ref': string; purl: string }[];
      dependencies: { ref: string; dependsOn?: string[] }[];
    };
    const refs = new Set(bom.components.map((c) => c['bom-ref']));
    let edges = 0;
    for (const d of bom.dependencies)
      for (const r of d.dependsOn ?? []) {
        assert.ok(refs.has(r), r);
        edges++;
      }
    const expected = new Set(
      inv.packages.flatMap((p) =>
        (p.dependsOn ?? [])
          .filter((d) => inv.packages.some((q) => q.purl === d))
          .map((d) => `${p.purl}>${d}`),
      ),
    );
    assert.equal(edges, expected.size);
  });

  it('SPDX: valid, with a DEPENDS_ON relationship per edge', () => {
    const doc = JSON.parse(renderSpdxSbom(inv, { toolVersion: '0.1.0', timestamp: TIMESTAMP })) as {
      relationships: { relationshipType: string }[];
    };
    assert.equal(spdxValidator()(doc), null);
    const cdx = JSON.parse(renderCycloneDxSbom(inv, { toolVersion: '0.1.0', timestamp: TIMESTAMP })) as {
      dependencies: { dependsOn?: string[] }[];
    };
    const cdxEdges = cdx.dependencies.reduce((n, d) => n + (d.dependsOn?.length ?? 0), 0);
    const osEdges = inv.os ? 1 : 0;
    assert.equal(
      doc.relationships.filter((r) => r.relationshipType === 'DEPENDS_ON').length,
      cdxEdges - osEdges,
    );
  });
});
