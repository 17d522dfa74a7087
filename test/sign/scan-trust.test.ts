// `bulwark image` and `bulwark sbom` on registry images when the configuration file names trust
// keys: the signature verdict is a line in the table, a field in the JSON report (valid against
// the schema), a line on stderr for SBOMs, and never a failed scan.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ERROR_CODES } from '../../src/core/errors.js';
import { silentProgress } from '../../src/core/progress.js';
import { RegistryClient } from '../../src/registry/index.js';
import { ensureDemoDatabase } from '../../src/scan/index.js';
import { generateKeyPair, signImage } from '../../src/sign/index.js';
import { REPO, runCli } from '../cli/helpers.js';
import { buildImage, startRegistry, type BuiltImage, type RunningRegistry } from '../registry/helpers.js';
import { tempDir } from './helpers.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

async function push(client: RegistryClient, repo: string, tag: string, image: BuiltImage): Promise<string> {
  for (const l of image.layers) await client.pushBlob(repo, l.blob);
  await client.pushBlob(repo, image.config);
  return client.pushManifest(repo, tag, image.manifest, image.mediaType);
}

interface Report {
  signatures?: { status: string; reason?: string; keys: string[]; verifiedBy?: string[]; digest?: string };
}

describe('signature status in image and sbom scans', () => {
  let reg: RunningRegistry;
  let client: RegistryClient;
  let dir: string;
  let repo: string;
  let db: string;
  let signedDigest: string;
  let env: Record<string, string>;

  before(async () => {
    reg = await startRegistry();
    client = new RegistryClient({ retry: { baseDelayMs: 1, maxTotalWaitMs: 100 } });
    repo = `${reg.host}/team/app`;
    dir = await tempDir('scan-trust');
    const files = { 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' };
    signedDigest = await push(client, repo, 'signed', await buildImage([files]));
    await push(client, repo, 'unsigned', await buildImage([{ ...files, extra: '1' }]));
    const pair = await generateKeyPair(Buffer.from(''));
    await signImage(`${repo}:signed`, pair.key, { client });
    await writeFile(path.join(dir, 'team.pub'), pair.publicPem);
    // a relative key path is relative to the configuration file
    await writeFile(path.join(dir, 'config.yaml'), 'trust:\n  keys: [team.pub]\n');
    db = await ensureDemoDatabase(path.join(dir, 'cache', 'bulwark'), silentProgress);
    env = { BULWARK_CONFIG: path.join(dir, 'config.yaml'), XDG_CACHE_HOME: path.join(dir, 'cache') };
  });
  after(async () => {
    client?.close();
    await reg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const image = (ref: string, extra: string[] = [], e = env) =>
    runCli(
      ['image', ref, '--no-daemon', '--db', db, '--max-db-age', '100000', '--scanners', 'vuln', ...extra],
      e,
    );

  it('says a signed image verifies, in the JSON report (schema-valid) and the table', async () => {
    const json = await image(`${repo}:signed`, ['--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as Report;
    const key = path.join(dir, 'team.pub');
    assert.deepEqual(report.signatures, {
      status: 'verified',
      message: '1 of 1 signature(s) verified',
      digest: signedDigest,
      keys: [key],
      verifiedBy: [key],
    });
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(
      JSON.parse(readFileSync(path.join(REPO, 'src/report/schema/report.schema.json'), 'utf8')) as object,
    );
    assert.equal(validate(report), true, JSON.stringify(validate.errors, null, 2));

    const table = await image(`${repo}:signed`);
    assert.equal(table.code, 0, table.stderr);
    assert.ok(table.stdout.includes(`Signatures (cosign): verified with ${key}`), table.stdout);
  });

  it('says an unsigned image is not verified, and still scans it with exit 0', async () => {
    const r = await image(`${repo}:unsigned`, ['--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const s = (JSON.parse(r.stdout) as Report).signatures;
    assert.equal(s?.status, 'not-verified');
    assert.equal(s?.reason, 'no-signatures');
    const table = await image(`${repo}:unsigned`);
    assert.match(table.stdout, /Signatures \(cosign\): NOT verified \[no-signatures\]/);
  });

  it('says a key it cannot read, without failing; and says nothing without trust keys', async () => {
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(bad, `trust:\n  keys: [${path.join(dir, 'missing.pub')}]\n`);
    const r = await image(`${repo}:signed`, ['--format', 'json'], { ...env, BULWARK_CONFIG: bad });
    assert.equal(r.code, 0, r.stderr);
    const s = (JSON.parse(r.stdout) as Report).signatures;
    assert.deepEqual([s?.status, s?.reason], ['error', 'INPUT_NOT_FOUND']);

    // the trust section is validated strictly, like the rest of the file
    const wrong = path.join(dir, 'wrong.yaml');
    await writeFile(wrong, 'trust:\n  keys: team.pub\n');
    const invalid = await image(`${repo}:signed`, [], { ...env, BULWARK_CONFIG: wrong });
    assert.equal(invalid.code, ERROR_CODES.CONFIG, invalid.stderr);
    assert.match(invalid.stderr, /trust\.keys/);

    const plain = path.join(dir, 'plain.yaml');
    await writeFile(plain, 'cacheDir: ' + path.join(dir, 'cache', 'bulwark') + '\n');
    const none = await image(`${repo}:signed`, ['--format', 'json'], { ...env, BULWARK_CONFIG: plain });
    assert.equal(none.code, 0, none.stderr);
    assert.equal((JSON.parse(none.stdout) as Report).signatures, undefined);
  });

  it('bulwark sbom says the verdict on stderr and in its JSON inventory, the SBOM unchanged', async () => {
    const cdx = await runCli(['sbom', `${repo}:signed`, '--no-daemon'], env);
    assert.equal(cdx.code, 0, cdx.stderr);
    assert.match(cdx.stderr, /Signatures \(cosign\): verified with /);
    assert.equal((JSON.parse(cdx.stdout) as { bomFormat: string }).bomFormat, 'CycloneDX');
    const inv = await runCli(['sbom', `${repo}:unsigned`, '--no-daemon', '--format', 'json'], env);
    assert.equal(inv.code, 0, inv.stderr);
    assert.equal((JSON.parse(inv.stdout) as Report).signatures?.reason, 'no-signatures');
  });
});
