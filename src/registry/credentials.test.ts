import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BulwarkError } from '../core/errors.js';
import { CredentialStore } from './credentials.js';

let dir: string;
let bin: string;
const b64 = (s: string) => Buffer.from(s).toString('base64');

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-creds-'));
  bin = path.join(dir, 'bin');
  await mkdir(bin);
  const script = async (name: string, body: string) => {
    const p = path.join(bin, `docker-credential-${name}`);
    await writeFile(p, `#!/bin/sh\n${body}\n`);
    await chmod(p, 0o755);
  };
  // Echoes the server address it was asked about, so the test sees what Docker would send.
  await script('echo', 'read server; printf \'{"Username":"u","Secret":"%s"}\' "$server"');
  await script('token', 'read server; printf \'{"Username":"<token>","Secret":"refresh"}\'');
  await script('garbage', 'read server; echo not-json');
  await script('slow', 'exec sleep 5');
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function store(config: unknown, opts: { helperTimeoutMs?: number } = {}): Promise<CredentialStore> {
  const p = path.join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  await writeFile(p, typeof config === 'string' ? config : JSON.stringify(config));
  return new CredentialStore({ dockerConfigPath: p, env: { PATH: bin }, ...opts });
}

test('Docker Hub credentials are found under the v1 index URL for every Hub alias', async () => {
  const s = await store({ auths: { 'https://index.docker.io/v1/': { auth: b64('hub:pw') } } });
  for (const host of ['docker.io', 'registry-1.docker.io', 'index.docker.io']) {
    assert.deepEqual(await s.get(host), { username: 'hub', password: 'pw' }, host);
  }
  assert.equal(await s.get('ghcr.io'), undefined);
});

test('identity tokens, passwords with colons, missing file', async () => {
  const s = await store({
    auths: { 'ghcr.io': { auth: b64('me:a:b') }, 'quay.io': { identitytoken: 'idt' } },
  });
  assert.deepEqual(await s.get('ghcr.io'), { username: 'me', password: 'a:b' });
  assert.deepEqual(await s.get('quay.io'), { identityToken: 'idt' });
  assert.equal(
    await new CredentialStore({ dockerConfigPath: path.join(dir, 'absent.json') }).get('ghcr.io'),
    undefined,
  );
});

test('helpers get the server address Docker sends and may answer an identity token', async () => {
  const s = await store({ credHelpers: { 'https://index.docker.io/v1/': 'echo', 'ghcr.io': 'token' } });
  assert.deepEqual(await s.get('registry-1.docker.io'), {
    username: 'u',
    password: 'https://index.docker.io/v1/',
  });
  assert.deepEqual(await s.get('ghcr.io'), { identityToken: 'refresh' });
  const viaStore = await store({ credsStore: 'echo' });
  assert.deepEqual(await viaStore.get('host:5000'), { username: 'u', password: 'host:5000' });
});

test('broken config, bad helper output and a hanging helper are CONFIG errors', async () => {
  const isConfig = (e: unknown) => e instanceof BulwarkError && e.code === 'CONFIG';
  await assert.rejects((await store('{not json')).get('ghcr.io'), isConfig);
  await assert.rejects(
    (await store({ auths: { 'ghcr.io': { auth: b64('nocolon') } } })).get('ghcr.io'),
    isConfig,
  );
  await assert.rejects((await store({ credsStore: 'garbage' })).get('ghcr.io'), isConfig);
  await assert.rejects(
    (await store({ credsStore: 'slow' }, { helperTimeoutMs: 100 })).get('ghcr.io'),
    isConfig,
  );
});
