import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scanRootfsInventory } from '../../src/image/index.js';
import { secretsAnalyzer } from '../../src/inventory/analyzers/secrets.js';
import { defaultAnalyzers } from '../../src/inventory/index.js';
import { testOsEcosystem } from '../image/helpers.js';
import { an } from './samples.js';

let dir: string;
const TOKEN = `glpat-${an(20)}`;

async function put(rel: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), content);
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-secrets-rootfs-'));
  await put('etc/os-release', 'ID=debian\nVERSION_ID=12\n');
  await put('app/.env', `GITLAB_TOKEN=${TOKEN}\n`);
  await put(
    'root/.docker/config.json',
    `{"auths":{"r.acme.io":{"auth":"${Buffer.from(`ci:${an(20)}`).toString('base64')}"}}}`,
  );
  // packaged content and binaries are not searched
  await put('usr/share/doc/x/example.conf', `token=${TOKEN}\n`);
  await put('app/node_modules/lib/fixture.js', `const t = "${TOKEN}";\n`);
  await put('app/logo.png', `${TOKEN}`);
});
after(() => rm(dir, { recursive: true, force: true }));

describe('secrets analyzer', () => {
  it('wants small text-like files outside system and vendored trees', () => {
    const want = (p: string, size = 100) => secretsAnalyzer.required(p, size, 0o644);
    assert.equal(want('app/.env'), true);
    assert.equal(want('home/app/config/settings.yaml'), true);
    assert.equal(want('root/.docker/config.json'), true);
    for (const p of [
      'usr/lib/x86_64-linux-gnu/libc.so.6',
      'usr/share/doc/a/README',
      'proc/1/environ',
      'usr/bin/ls',
    ])
      assert.equal(want(p), false, p);
    for (const p of ['srv/lib/libfoo.so.1.2', 'app/img/logo.PNG', 'app/x.whl', 'app/node_modules/a/index.js'])
      assert.equal(want(p), false, p);
    assert.equal(want('app/.env', 0), false);
    assert.equal(want('app/huge.log', 50 * 1024 * 1024), false);
  });

  it('is opt-in: loaded only when a scan names it', async () => {
    assert.ok(!(await defaultAnalyzers()).some((a) => a.id === 'secrets'));
    assert.ok(!(await defaultAnalyzers(undefined, 'image')).some((a) => a.id === 'secrets'));
    assert.deepEqual(
      (await defaultAnalyzers(['dpkg', 'secrets'], 'image')).map((a) => a.id),
      ['dpkg', 'secrets'],
    );
  });

  it('turns secrets in a root filesystem into redacted, located facts', async () => {
    const inv = await scanRootfsInventory(dir, {
      analyzers: [secretsAnalyzer],
      osEcosystem: testOsEcosystem,
    });
    const facts = (inv.facts ?? []).filter((f) => f.kind === 'secret');
    assert.deepEqual(
      facts.map((f) => [f.path, f.data.ruleId, f.data.line, f.data.column, f.data.match]),
      [
        ['app/.env', 'secrets/gitlab-pat', 1, 14, 'glpa*****'],
        ['root/.docker/config.json', 'secrets/docker-config-auth', 1, 24, '"auth":"Y2k6*****"'],
      ],
    );
    assert.ok(!JSON.stringify(inv).includes(TOKEN.slice(6)), 'unredacted secret in the inventory');
  });
});
