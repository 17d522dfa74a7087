// `bulwark policy check` end to end: a real scan report of the demo image and manifests in,
// verdicts out in every format (JSON validated against its schema), exit codes; signatures
// checked for real on a docker-registry on loopback with keys named by the policy.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { RegistryClient } from '../../src/registry/index.js';
import { generateKeyPair, signImage } from '../../src/sign/index.js';
import { hasStackTrace, REPO, runCli } from '../cli/helpers.js';
import { buildImage, startRegistry, type RunningRegistry } from '../registry/helpers.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const POLICY = 'examples/policy/policy.yaml';
const DEPLOY = 'examples/policy/deploy.yaml';

let dir: string;
let report: string;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-policy-'));
  const scan = await runCli(['image', '--format', 'json', '-o', path.join(dir, 'demo.json')], {
    BULWARK_CACHE_DIR: path.join(dir, 'cache'),
  });
  assert.equal(scan.code, 0, scan.stderr);
  report = path.join(dir, 'demo.json');
});
after(() => rm(dir, { recursive: true, force: true }));

describe('bulwark policy check', () => {
  it('denies the demo workload for each rule it breaks and admits the hardened one (json, schema-valid)', async () => {
    const r = await runCli([
      'policy',
      'check',
      '-p',
      POLICY,
      DEPLOY,
      report,
      '--format',
      'json',
      '--now',
      '2026-12-01',
    ]);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      kind: string;
      summary: { subjects: number; denied: number };
      decisions: {
        subject: { name: string };
        allowed: boolean;
        violations: { rule: string; findings?: string[] }[];
        excepted: { findings?: string[]; exception: { name?: string } }[];
        warnings: string[];
      }[];
    };
    assert.equal(doc.kind, 'policy');
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(
      JSON.parse(await readFile(path.join(REPO, 'src/report/schema/policy.schema.json'), 'utf8')) as object,
    );
    assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
    // the report's image is run by the web Deployment (by digest): it is not a subject of its own
    assert.deepEqual(
      doc.decisions.map((d) => [d.subject.name, d.allowed]),
      [
        ['web', false],
        ['api', true],
      ],
    );
    const web = doc.decisions[0]!;
    const rules = web.violations.map((v) => v.rule);
    for (const r of ['policy/pod-security', 'policy/resource-limits', 'policy/max-severity', 'policy/kev'])
      assert.ok(rules.includes(r), `${r} in ${rules.join(',')}`);
    const kev = web.violations.find((v) => v.rule === 'policy/kev')!;
    assert.ok(kev.findings?.includes('CVE-2021-44228'));
    // the lodash exception waives exactly its finding; the rest of max-severity still denies
    const waived = web.excepted.find((e) => e.exception.name === 'lodash-upgrade');
    assert.deepEqual(waived?.findings, ['CVE-2021-23337']);
    const sev = web.violations.find((v) => v.rule === 'policy/max-severity')!;
    assert.ok(!sev.findings?.includes('CVE-2021-23337'));
    // the api image was never scanned: missingFacts warn
    assert.match(
      doc.decisions[1]!.warnings.join('\n'),
      /no vulnerability scan known for image "ghcr\.io\/acme\/api@/,
    );
  });

  it('table and sarif; --exit-code 0; audit mode admits', async () => {
    const t = await runCli(['policy', 'check', '-p', POLICY, DEPLOY, report, '--exit-code', '0']);
    assert.equal(t.code, 0);
    assert.match(t.stdout, /Policy "production" \(enforce\): 2 subject\(s\), 1 with violations/);
    assert.match(t.stdout, /denied +│ Deployment shop\/web/);
    const s = await runCli(['policy', 'check', '-p', POLICY, DEPLOY, report, '-f', 'sarif']);
    const sarif = JSON.parse(s.stdout) as {
      runs: {
        results: {
          ruleId: string;
          level: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
          }[];
        }[];
      }[];
    };
    const res = sarif.runs[0]!.results;
    assert.ok(res.some((x) => x.ruleId === 'policy/kev' && x.level === 'error'));
    assert.equal(res[0]!.locations[0]!.physicalLocation.artifactLocation.uri, DEPLOY);
    assert.equal(res[0]!.locations[0]!.physicalLocation.region?.startLine, 1);

    const audit = path.join(dir, 'audit.yaml');
    await writeFile(
      audit,
      (await readFile(path.join(REPO, POLICY), 'utf8')).replace('mode: enforce', 'mode: audit'),
    );
    const a = await runCli(['policy', 'check', '-p', audit, DEPLOY, report]);
    assert.equal(a.code, 0, a.stdout);
    assert.match(a.stdout, /audit mode: nothing is denied/);
  });

  it('an invalid policy names its line (exit 3); a broken manifest degrades only itself (exit 5)', async () => {
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(
      bad,
      'apiVersion: bulwark.dev/v1\nkind: Policy\nmetadata: {name: x}\nspec:\n  vulnerabilities:\n    maxSeverity: SEVERE\n',
    );
    const r = await runCli(['policy', 'check', '-p', bad, DEPLOY]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /error\[CONFIG\] .*bad\.yaml: line 6: spec\.vulnerabilities\.maxSeverity/);
    assert.ok(!hasStackTrace(r.stderr));

    const broken = path.join(dir, 'broken.yaml');
    await writeFile(broken, 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n');
    const b = await runCli(['policy', 'check', '-p', POLICY, DEPLOY, broken, '-f', 'json']);
    assert.equal(b.code, 5);
    const doc = JSON.parse(b.stdout) as { decisions: unknown[]; errors: { file: string; code: string }[] };
    assert.equal(doc.decisions.length, 2);
    assert.equal(doc.errors[0]?.code, 'MALFORMED_INPUT');
    assert.ok(!hasStackTrace(b.stderr));
  });

  it('policy validate prints what a policy enforces and flags expired exceptions', async () => {
    const r = await runCli(['policy', 'validate', POLICY]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Policy "production" is valid/);
    assert.match(r.stdout, /exception old-waiver: until 2025-06-30 \(EXPIRED: no longer applies\)/);
  });
});

describe('bulwark policy check: signatures on a real registry', () => {
  let reg: RunningRegistry;
  let client: RegistryClient;
  before(async () => {
    reg = await startRegistry();
    client = new RegistryClient({ retry: { baseDelayMs: 1, maxTotalWaitMs: 100 } });
  });
  after(async () => {
    client?.close();
    await reg?.stop();
  });

  it('admits a workload whose image is signed with the policy key, denies an unsigned one and one signed by another key', async () => {
    const image = await buildImage([{ 'etc/os-release': 'ID=debian\n' }]);
    const repo = (name: string) => `${reg.host}/team/${name}`;
    for (const name of ['signed', 'unsigned', 'other']) {
      for (const l of image.layers) await client.pushBlob(`${reg.host}/team/${name}`, l.blob);
      await client.pushBlob(repo(name), image.config);
      await client.pushManifest(repo(name), 'v1', image.manifest, image.mediaType);
    }
    const ours = await generateKeyPair(Buffer.from('pw'));
    const theirs = await generateKeyPair(Buffer.from('pw'));
    await signImage(`${repo('signed')}:v1`, ours.key, { client });
    await signImage(`${repo('other')}:v1`, theirs.key, { client });
    await writeFile(path.join(dir, 'ours.pub'), ours.publicPem);
    const policy = path.join(dir, 'signed.yaml');
    await writeFile(
      policy,
      `apiVersion: bulwark.dev/v1\nkind: Policy\nmetadata: {name: signed}\nspec:\n  signatures: {keys: [ours.pub]}\n  missingFacts: deny\n`,
    );
    const pods = path.join(dir, 'pods.yaml');
    await writeFile(
      pods,
      ['signed', 'unsigned', 'other']
        .map(
          (n) =>
            `apiVersion: v1\nkind: Pod\nmetadata: {name: ${n}}\nspec:\n  containers: [{name: c, image: "${repo(n)}:v1"}]\n`,
        )
        .join('---\n'),
    );
    const r = await runCli(['policy', 'check', '-p', policy, pods, '-f', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      decisions: {
        subject: { name: string };
        allowed: boolean;
        violations: { rule: string; message: string }[];
      }[];
    };
    const by = Object.fromEntries(doc.decisions.map((d) => [d.subject.name, d]));
    assert.equal(by.signed!.allowed, true, JSON.stringify(by.signed));
    assert.equal(by.unsigned!.violations[0]?.rule, 'policy/signature-required');
    assert.match(by.unsigned!.violations[0]!.message, /no signatures/);
    assert.equal(by.other!.violations[0]?.rule, 'policy/signature-required');

    // --offline: signatures unknown, and missingFacts: deny denies all three
    const off = await runCli(['policy', 'check', '-p', policy, pods, '-f', 'json', '--offline']);
    const offDoc = JSON.parse(off.stdout) as { decisions: { violations: { rule: string }[] }[] };
    assert.deepEqual(
      offDoc.decisions.map((d) => d.violations.map((v) => v.rule)),
      [['policy/missing-facts'], ['policy/missing-facts'], ['policy/missing-facts']],
    );
  });
});
