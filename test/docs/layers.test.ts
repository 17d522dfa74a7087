import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const config = require(path.join(root, '.dependency-cruiser.cjs')) as {
  forbidden: { name: string; from: { path: string } }[];
};

/** the layer order as the lint rule spells it: one `layer-<name>` rule per layer but the top one */
function configLayers(): string[] {
  return config.forbidden
    .filter((r) => r.name.startsWith('layer-') && r.name !== 'layer-unknown-folder')
    .map((r) => r.name.slice(6));
}

function docLayers(): string[] {
  const doc = readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
  const block = /<!-- layers -->\n([\s\S]*?)<!-- \/layers -->/.exec(doc);
  assert.ok(block, 'docs/architecture.md has a <!-- layers --> block');
  return [...block[1]!.matchAll(/^\d+\. `([a-z0-9-]+)`/gm)].map((m) => m[1]!);
}

describe('import layers', () => {
  it('docs/architecture.md lists the order the lint rule enforces', () => {
    const doc = docLayers();
    assert.deepEqual(doc.slice(0, -1), configLayers());
    assert.ok(doc.length > 10, `${doc.length} layers`);
  });

  it('every src/ folder has a layer', () => {
    const doc = new Set(docLayers());
    const folders = readdirSync(path.join(root, 'src')).filter((n) =>
      statSync(path.join(root, 'src', n)).isDirectory(),
    );
    assert.deepEqual(
      folders.filter((f) => !doc.has(f)),
      [],
      'add the folder to LAYERS in .dependency-cruiser.cjs and to docs/architecture.md',
    );
  });
});
