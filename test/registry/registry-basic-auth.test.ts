// Basic auth against a real docker-registry with an htpasswd file, credentials taken from a Docker
// config: auths (auth / username+password), credHelpers and credsStore through a real helper script.
import assert from 'node:assert/strict';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import { RegistryClient, resolveImage, type RegistryClientOptions } from '../../src/registry/index.js';
import {
  buildImage,
  execFileP,
  startRegistry,
  tempDir,
  type BuiltImage,
  type RunningRegistry,
} from './helpers.js';

function isCode(code: string) {
  return (e: unknown) => e instanceof BulwarkError && e.code === code;
}

describe('basic auth against a real docker-registry (htpasswd)', () => {
  let reg: RunningRegistry;
  let dir: string;
  let image: BuiltImage;
  const clients: RegistryClient[] = [];

  const client = (opts: RegistryClientOptions) => {
    const c = new RegistryClient({ retry: { baseDelayMs: 1, maxTotalWaitMs: 100 }, ...opts });
    clients.push(c);
    return c;
  };
  const writeConfig = async (name: string, config: unknown) => {
    const p = path.join(dir, name);
    await writeFile(p, JSON.stringify(config));
    return p;
  };
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  before(async () => {
    dir = await tempDir('basic-auth');
    const { stdout } = await execFileP('htpasswd', ['-Bbn', 'alice', 's3cret']);
    const htpasswd = path.join(dir, 'htpasswd');
    await writeFile(htpasswd, stdout);
    reg = await startRegistry(
      ['auth:', '  htpasswd:', '    realm: bulwark-test', `    path: ${htpasswd}`].join('\n'),
    );
    // A credential helper speaking the docker-credential protocol: server URL on stdin, JSON out.
    const bin = path.join(dir, 'bin');
    await mkdir(bin);
    const helper = path.join(bin, 'docker-credential-bwtest');
    await writeFile(
      helper,
      [
        '#!/bin/sh',
        'read server',
        `if [ "$1" = get ] && [ "$server" = "${'$'}{BWTEST_EXPECT}" ]; then`,
        '  printf \'{"ServerURL":"%s","Username":"alice","Secret":"s3cret"}\' "$server"',
        'else',
        '  echo "credentials not found in native keychain"; exit 1',
        'fi',
      ].join('\n'),
    );
    await chmod(helper, 0o755);
    image = await buildImage([{ 'etc/motd': 'hello' }]);
    const pusher = client({
      dockerConfigPath: await writeConfig('push.json', {
        auths: { [reg.host]: { auth: b64('alice:s3cret') } },
      }),
    });
    for (const l of image.layers) await pusher.pushBlob(`${reg.host}/team/app`, l.blob);
    await pusher.pushBlob(`${reg.host}/team/app`, image.config);
    await pusher.pushManifest(`${reg.host}/team/app`, 'v1', image.manifest, image.mediaType);
  });

  after(async () => {
    for (const c of clients) c.close();
    await reg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('without credentials the registry answer is REGISTRY_AUTH naming the registry', async () => {
    await assert.rejects(
      resolveImage(client({}), `${reg.host}/team/app:v1`),
      (e: unknown) => isCode('REGISTRY_AUTH')(e) && (e as Error).message.includes(reg.host),
    );
  });

  test('wrong password is REGISTRY_AUTH', async () => {
    const cfg = await writeConfig('wrong.json', {
      auths: { [`http://${reg.host}`]: { username: 'alice', password: 'nope' } },
    });
    await assert.rejects(
      resolveImage(client({ dockerConfigPath: cfg }), `${reg.host}/team/app:v1`),
      isCode('REGISTRY_AUTH'),
    );
  });

  test('auths entries: base64 auth, username/password, key with scheme and path', async () => {
    for (const auths of [
      { [reg.host]: { auth: b64('alice:s3cret') } },
      { [`https://${reg.host}/v1/`]: { username: 'alice', password: 's3cret' } },
      { 'other.example:5000': { auth: b64('bob:x') }, [`http://${reg.host}`]: { auth: b64('alice:s3cret') } },
    ]) {
      const cfg = await writeConfig('auths.json', { auths });
      const img = await resolveImage(client({ dockerConfigPath: cfg }), `${reg.host}/team/app:v1`);
      assert.equal(img.manifestDigest, image.manifestDigest);
    }
  });

  test('credHelpers and credsStore run docker-credential-<name> from the PATH given in env', async () => {
    const env = { PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`, BWTEST_EXPECT: reg.host };
    const viaHelper = await writeConfig('helpers.json', { credHelpers: { [reg.host]: 'bwtest' } });
    assert.equal(
      (await resolveImage(client({ dockerConfigPath: viaHelper, env }), `${reg.host}/team/app:v1`))
        .manifestDigest,
      image.manifestDigest,
    );
    const viaStore = await writeConfig('store.json', { credsStore: 'bwtest' });
    assert.equal(
      (await resolveImage(client({ dockerConfigPath: viaStore, env }), `${reg.host}/team/app:v1`))
        .manifestDigest,
      image.manifestDigest,
    );
    // The helper has nothing for this host: treated as no credentials, so the registry refuses.
    await assert.rejects(
      resolveImage(
        client({ dockerConfigPath: viaStore, env: { ...env, BWTEST_EXPECT: 'elsewhere' } }),
        `${reg.host}/team/app:v1`,
      ),
      isCode('REGISTRY_AUTH'),
    );
  });

  test('a helper missing from PATH is a CONFIG error naming it', async () => {
    const cfg = await writeConfig('missing.json', { credHelpers: { [reg.host]: 'nosuchhelper' } });
    await assert.rejects(
      resolveImage(
        client({ dockerConfigPath: cfg, env: { PATH: path.join(dir, 'bin') } }),
        `${reg.host}/team/app:v1`,
      ),
      (e: unknown) => isCode('CONFIG')(e) && (e as BulwarkError).input === 'docker-credential-nosuchhelper',
    );
  });
});
