import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { globToRegExp, scanSecretPaths } from '../../src/secrets/index.js';
import { an } from './samples.js';

let dir: string;
let root: string;
const KEY = 'AKIAZ3MSJV4QRMN6Q7XB';

async function put(rel: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), content);
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-secrets-'));
  root = path.join(dir, 'project');
  await put('.env', `AWS_ACCESS_KEY_ID=${KEY}\nSTRIPE=sk_live_${an(24)}\n`);
  await put('src/app.ts', `const db = "postgres://app:${an(14)}@db:5432/app";\n`);
  await put('node_modules/pkg/test.js', `const t = "ghp_${an(36)}";\n`);
  await put('.git/config', `[remote "origin"]\n  url = https://ci:${an(20)}@git.acme.io/app.git\n`);
  await put('bin/tool', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]), Buffer.from(KEY)]));
  await put('big.log', `${KEY}\n${'x'.repeat(5000)}`);
  // a link leaving the folder must not be followed; one inside it is
  await writeFile(path.join(dir, 'outside.env'), `OUTSIDE=${KEY}\n`);
  await symlink(path.join(dir, 'outside.env'), path.join(root, 'escape.env'));
  await symlink('.env', path.join(root, 'linked.env'));
});
after(() => rm(dir, { recursive: true, force: true }));

const rel = (f: string) => path.relative(root, f);

describe('scanSecretPaths', () => {
  it('walks folders, skips .git/node_modules, binaries, big files and links out of the root', async () => {
    const r = await scanSecretPaths([root], { maxFileBytes: 4096 });
    assert.deepEqual(
      r.findings.map((f) => `${rel(f.file)}:${f.line} ${f.ruleId}`),
      [
        '.env:1 secrets/aws-access-key-id',
        '.env:2 secrets/stripe-secret-key',
        'linked.env:1 secrets/aws-access-key-id',
        'linked.env:2 secrets/stripe-secret-key',
        'src/app.ts:1 secrets/database-url-postgres',
      ],
    );
    assert.deepEqual(
      r.skipped.map((s) => `${rel(s.file)} ${s.reason}`),
      ['big.log too-large', 'bin/tool binary'],
    );
    assert.deepEqual(r.errors, []);
    for (const f of r.findings) assert.ok(!f.match.includes(KEY), 'unredacted key in a finding');
  });

  it('enters .git and node_modules when asked', async () => {
    const r = await scanSecretPaths([root], { skipDirs: [] });
    const files = new Set(r.findings.map((f) => rel(f.file)));
    assert.ok(files.has('.git/config') && files.has('node_modules/pkg/test.js'));
  });

  it('applies the severity filter, then ignore-file entries by id or alias, path and expiry', async () => {
    const r = await scanSecretPaths([path.join(root, '.env'), path.join(root, 'src')], {
      severities: ['CRITICAL'],
      ignore: [
        { id: 'gitleaks:aws-access-token', path: path.join(root, '.env'), reason: 'revoked' },
        { id: 'secrets/stripe-secret-key', reason: 'expired entry', expires: '2020-01-01' },
      ],
      today: '2026-11-22',
    });
    assert.deepEqual(
      r.findings.map((f) => f.ruleId),
      ['secrets/stripe-secret-key'],
    );
    assert.deepEqual(
      r.suppressed.map((s) => [s.ruleId, s.suppressedBy, s.reason]),
      [['secrets/aws-access-key-id', 'ignore-file', 'revoked']],
    );
  });

  it('skips files matching --skip-path globs relative to the folder named', async () => {
    const r = await scanSecretPaths([root], { skipPaths: ['**/*.ts', 'linked.env'] });
    assert.deepEqual(
      r.findings.map((f) => rel(f.file)),
      ['.env', '.env', 'big.log'],
    );
  });

  it('compiles globs: ** spans folders, * and ? stay within a name', () => {
    const re = globToRegExp('**/test/**/fixtures/*.json');
    assert.ok(re.test('test/a/fixtures/x.json') && re.test('pkg/test/b/c/fixtures/y.json'));
    assert.ok(!re.test('test/fixtures/sub/x.json') && !re.test('src/fixtures/x.json'));
    assert.ok(globToRegExp('*.env').test('.env') && !globToRegExp('*.env').test('a/.env'));
    assert.ok(globToRegExp('file?.txt').test('file1.txt') && !globToRegExp('file?.txt').test('file/.txt'));
  });

  it('throws INPUT_NOT_FOUND for a path that does not exist', async () => {
    await assert.rejects(scanSecretPaths([path.join(dir, 'nope')]), { code: 'INPUT_NOT_FOUND' });
  });
});
