import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openOciLayout, scanImageInventory } from '../../src/image/index.js';
import { secretsAnalyzer } from '../../src/inventory/analyzers/secrets.js';
import { buildLayer, testOsEcosystem, tmpDir, writeOciLayout, type BuiltLayer } from '../image/helpers.js';
import { an } from './samples.js';

// Secrets in a real OCI image: each fact names the file and the layer its visible version comes
// from, a secret overwritten by a later layer is gone, and the layer cache never holds a secret.
let dir: string;
let layout: string;
let layers: BuiltLayer[];
const TOKEN = `glpat-${an(20)}`;
const DB_PASSWORD = `Pw9${an(14)}`;

before(async () => {
  dir = await tmpDir('bulwark-secrets-img-');
  layers = [
    await buildLayer([{ name: 'etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' }]),
    await buildLayer([
      { name: 'app/.env', content: `GITLAB_TOKEN=${TOKEN}\n` },
      { name: 'app/config.yaml', content: `db: postgres://app:${DB_PASSWORD}@db:5432/app\n` },
      { name: 'usr/share/doc/app/example.env', content: `GITLAB_TOKEN=${TOKEN}\n` },
    ]),
    // the next layer rewrites the config without the password
    await buildLayer([{ name: 'app/config.yaml', content: 'db: postgres://db:5432/app\n' }], 'zstd'),
  ];
  layout = path.join(dir, 'layout');
  await writeOciLayout(layout, [{ layers }]);
});
after(() => rm(dir, { recursive: true, force: true }));

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  return out;
}

describe('secrets analyzer on an image', () => {
  it('attributes each secret to its file and layer and forgets overwritten ones', async () => {
    const cacheDir = path.join(dir, 'cache');
    const src = await openOciLayout(layout);
    const inv = await scanImageInventory(src, {
      analyzers: [secretsAnalyzer],
      cacheDir,
      osEcosystem: testOsEcosystem,
    });
    await src.close();
    const facts = (inv.facts ?? []).filter((f) => f.kind === 'secret');
    assert.deepEqual(
      facts.map((f) => [f.path, f.data.ruleId, f.data.match, f.layer?.digest]),
      [['app/.env', 'secrets/gitlab-pat', 'glpa*****', layers[1]!.digest]],
    );
    // nothing the scan wrote holds a secret in clear
    const files = await listFiles(cacheDir);
    const texts = await Promise.all(files.map((f) => readFile(f, 'latin1')));
    assert.ok(
      texts.some((t) => t.includes('glpa*****')),
      'the redacted fact is cached with its layer',
    );
    for (const [i, f] of files.entries()) {
      const text = texts[i]!;
      assert.ok(!text.includes(TOKEN) && !text.includes(DB_PASSWORD), `secret in cache file ${f}`);
    }
    assert.ok(!JSON.stringify(inv).includes(TOKEN));
  });
});
