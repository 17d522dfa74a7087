import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageHygieneAnalyzer as a } from '../../src/inventory/analyzers/image-hygiene.js';

const file = (path: string, content: string | Buffer, mode = 0o644) => {
  const buf = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return { path, content: buf, size: buf.length, mode };
};
const facts = (path: string, content: string | Buffer, mode = 0o644) =>
  a.analyze(file(path, content, mode), { maxBytes: 1 << 20 }).facts ?? [];

describe('image-hygiene analyzer', () => {
  it('wants setuid/setgid regular files, never links (no mode) or plain binaries', () => {
    assert.equal(a.required('usr/bin/x', 10, 0o104755), true);
    assert.equal(a.required('usr/bin/x', 10, 0o2755), true);
    assert.equal(a.required('usr/bin/x', 10, 0o755), false);
    assert.equal(a.required('usr/bin/x', 0), false);
    assert.deepEqual(facts('usr/bin/x', 'bin', 0o6755), [
      { kind: 'setuid', data: { mode: '6755', setuid: true, setgid: true } },
    ]);
  });

  it('wants cache files but not apt locks, partial downloads or non-.deb archive entries', () => {
    const want = (p: string) => a.required(p, 100, 0o644);
    assert.equal(want('var/lib/apt/lists/x_Packages'), true);
    assert.equal(want('var/lib/apt/lists/lock'), false);
    assert.equal(want('var/lib/apt/lists/partial/x'), false);
    assert.equal(want('var/cache/apt/archives/a_1_amd64.deb'), true);
    assert.equal(want('var/cache/apt/archives/lock'), false);
    assert.equal(want('var/cache/apt/archives/partial/a.deb'), false);
    for (const p of [
      'var/cache/apk/APKINDEX.abc.tar.gz',
      'root/.cache/pip/http/a/b',
      'root/.npm/_cacache/index-v5/aa',
      'usr/local/share/.cache/yarn/v6/x',
      'var/cache/dnf/repo/x',
      'var/cache/yum/x',
    ])
      assert.equal(want(p), true, p);
    assert.equal(a.required('var/lib/apt/lists/huge', 40 * 1024 * 1024, 0o644), false, 'over the read bound');
    assert.deepEqual(facts('var/cache/apk/APKINDEX.tar.gz', 'xx'), [
      { kind: 'package-cache', data: { cache: 'var/cache/apk', manager: 'apk', size: 2 } },
    ]);
  });

  it('classifies credential files by content and never copies it', () => {
    const key =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
    const cases: [string, string, string | undefined][] = [
      ['home/dev/.ssh/id_rsa', key, 'ssh-private-key'],
      ['home/dev/.ssh/id_rsa.pub', 'ssh-rsa AAAA', undefined],
      ['etc/ssh/ssh_host_ed25519_key', key, 'ssh-host-key'],
      ['etc/ssl/private/server.key', '-----BEGIN RSA PRIVATE KEY-----\nMII\n', 'private-key'],
      ['etc/ssl/certs/ca.pem', '-----BEGIN CERTIFICATE-----\nMII\n', undefined],
      ['app/node_modules/x/test/key.pem', key, undefined],
      ['usr/share/doc/x/example.key', key, undefined],
      ['root/.npmrc', '//registry.npmjs.org/:_authToken=npm_abc\n', 'npmrc'],
      ['app/.npmrc', 'registry=https://registry.npmjs.org/\n', undefined],
      ['root/.pypirc', '[pypi]\nusername = __token__\npassword = pypi-AgEI\n', 'pypirc'],
      ['root/.pypirc', '[distutils]\nindex-servers = pypi\n', undefined],
      ['root/.docker/config.json', '{"auths":{"r.example.com":{"auth":"dXNlcjpwYXNz"}}}', 'docker-config'],
      ['root/.docker/config.json', '{"credsStore":"desktop"}', undefined],
      ['root/.git-credentials', 'https://u:tok@github.com\n', 'git-credentials'],
      ['root/.netrc', 'machine h login u password p\n', 'netrc'],
    ];
    for (const [path, content, type] of cases) {
      if (type) assert.equal(a.required(path, content.length, 0o600), true, path);
      const got = facts(path, content, 0o600).filter((f) => f.kind === 'credential-file');
      assert.deepEqual(
        got.map((f) => f.data.type),
        type ? [type] : [],
        path,
      );
      assert.ok(!JSON.stringify(got).includes('tok') && !JSON.stringify(got).includes('b3Bl'), path);
    }
    assert.equal(a.required('root/.npmrc', 0, 0o600), false, 'empty files are not read');
  });
});
