// `bulwark k8s` end to end: the CLI as its own process against the test API server (recorded real
// objects over HTTPS), the demo image pushed to Debian's docker-registry on loopback and scanned
// through the one scan pipeline with the demo database, a policy evaluated by evaluatePolicy, and
// every format (JSON validated against its schema, SARIF, HTML, table).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { collectingProgress } from '../../src/core/progress.js';
import { ensureDemoDatabase } from '../../src/scan/index.js';
import { hasStackTrace, REPO, runCli } from '../cli/helpers.js';
import { makeKubeCerts, startFakeKube, writeKubeconfig, type FakeKube } from '../helpers/kube-apiserver.js';
import { execFileP, startRegistry, type RunningRegistry } from '../registry/helpers.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const DEMO = path.join(REPO, 'data/demo/demo-image.oci.tar');
const TOKEN = 'k8s-cli-token';

interface Doc {
  kind: string;
  summary: Record<string, number>;
  namespaces: {
    name: string;
    error?: { code: string; resource?: string };
    workloads: { kind: string; name: string; images: string[] }[];
    findings: { ruleId: string; object?: string }[];
    netpol: { ruleId: string; object?: string }[];
    decisions: {
      subject: { kind: string; name: string };
      allowed: boolean;
      violations: { rule: string }[];
    }[];
  }[];
  images: {
    key: string;
    references: string[];
    source: string;
    digest?: string;
    vulnerabilities?: Record<string, number>;
    error?: { code: string };
  }[];
}

let dir: string;
let registry: RunningRegistry;
let kube: FakeKube;
let kubeconfig: string;
let db: string;
let digest: string;
let env: Record<string, string>;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-k8s-cli-'));
  registry = await startRegistry();
  await execFileP('skopeo', [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    `oci-archive:${DEMO}:demo`,
    `docker://${registry.host}/team/app:v1`,
  ]);
  const inspect = await execFileP('skopeo', [
    'inspect',
    '--tls-verify=false',
    '--format',
    '{{.Digest}}',
    `docker://${registry.host}/team/app:v1`,
  ]);
  digest = inspect.stdout.trim();
  const certs = await makeKubeCerts(dir);
  kube = await startFakeKube({
    certs,
    token: TOKEN,
    forbiddenNamespaces: ['secret'],
    rewrite: { 'registry.bulwark.test': registry.host, 'sha256:APP_DIGEST': digest },
  });
  kubeconfig = path.join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, kube, certs, TOKEN);
  db = await ensureDemoDatabase(path.join(dir, 'cache'), collectingProgress());
  env = { XDG_CACHE_HOME: path.join(dir, 'cache') };
});

after(async () => {
  await kube?.close();
  await registry?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function validate(doc: unknown): Promise<void> {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const check = ajv.compile(
    JSON.parse(await readFile(path.join(REPO, 'src/report/schema/k8s.schema.json'), 'utf8')) as object,
  );
  assert.ok(check(doc), JSON.stringify(check.errors, null, 2));
}

const POLICY = `apiVersion: bulwark.dev/v1
kind: Policy
metadata:
  name: cluster
spec:
  podSecurity:
    level: baseline
  vulnerabilities:
    maxSeverity: HIGH
  missingFacts: deny
`;

describe('bulwark k8s', () => {
  it('reads every namespace, scans each image once by the digest its pods run, reports per namespace', async () => {
    const run = await runCli(
      [
        'k8s',
        '--kubeconfig',
        kubeconfig,
        '-f',
        'json',
        '--db',
        db,
        '--chunk-size',
        '2',
        '--max-db-age',
        '100000',
      ],
      env,
    );
    // the forbidden namespace is reported and sets its code (4) once the report is out
    assert.equal(run.code, 4, run.stderr);
    assert.ok(!hasStackTrace(run.stderr));
    assert.match(run.stderr, /error\[INPUT_NOT_FOUND\] namespace secret: forbidden \(403\)/);
    assert.match(run.stderr, /error\[REGISTRY_NOT_FOUND\] .*team\/cache:1\.0/);
    const doc = JSON.parse(run.stdout) as Doc;
    await validate(doc);
    assert.equal(doc.kind, 'k8s');
    assert.deepEqual(
      doc.namespaces.map((n) => [
        n.name,
        n.error?.code ?? null,
        n.workloads.map((w) => `${w.kind}/${w.name}`),
      ]),
      [
        ['batch', null, ['CronJob/hello', 'Pod/nginx']],
        ['kube-system', null, ['DaemonSet/fluentd-gcp-v3.2.0']],
        ['secret', 'INPUT_NOT_FOUND', []],
        ['shop', null, ['Deployment/web', 'StatefulSet/cache']],
      ],
    );
    // the tag (Deployment, CronJob) and the digest (bare Pod) name one image: one scan
    const app = doc.images.filter((i) => i.key.includes('/team/app'));
    assert.equal(app.length, 1);
    assert.equal(app[0]!.key, `${registry.host}/team/app@${digest}`);
    assert.deepEqual(app[0]!.references, [
      `${registry.host}/team/app:v1`,
      `${registry.host}/team/app@${digest}`,
    ]);
    assert.equal(app[0]!.source, 'scan');
    assert.equal(app[0]!.digest, digest);
    const vulns = Object.values(app[0]!.vulnerabilities!).reduce((a, b) => a + b, 0);
    assert.ok(vulns > 20, `demo image findings: ${vulns}`);
    // an image that is not in the registry degrades that image only
    const cache = doc.images.find((i) => i.key.endsWith('/team/cache:1.0'))!;
    assert.equal(cache.error?.code, 'REGISTRY_NOT_FOUND');
    assert.equal(doc.summary.imageErrors, 3);
    // PSS + hardening findings at the workload, not at the ReplicaSet or Pod it owns
    const shop = doc.namespaces.find((n) => n.name === 'shop')!;
    assert.ok(
      shop.findings.some(
        (f) => f.object === 'Deployment/web' && f.ruleId === 'kubernetes/pss-run-as-non-root',
      ),
    );
    assert.ok(!shop.findings.some((f) => /ReplicaSet|Pod\//.test(f.object ?? '')));
    // the NetworkPolicy selects web for both directions; cache has none
    assert.deepEqual(shop.netpol.map((f) => `${f.ruleId} ${f.object}`).sort(), [
      'netpol/no-egress-policy shop/cache[StatefulSet]',
      'netpol/no-ingress-policy shop/cache[StatefulSet]',
    ]);
  });

  it('evaluates a policy with image facts from reports (no pull), exit 1 when a workload is denied', async () => {
    const report = path.join(dir, 'app.json');
    const scan = await runCli(['image', '--input', DEMO, '-f', 'json', '--db', db, '-o', report], env);
    assert.equal(scan.code, 0, scan.stderr);
    const policy = path.join(dir, 'policy.yaml');
    await writeFile(policy, POLICY);
    const run = await runCli(
      [
        'k8s',
        '--kubeconfig',
        kubeconfig,
        '-n',
        'shop,batch',
        '--images-from',
        report,
        '--policy',
        policy,
        '-f',
        'json',
      ],
      env,
    );
    assert.equal(run.code, 1, run.stderr);
    const doc = JSON.parse(run.stdout) as Doc;
    await validate(doc);
    const decisions = doc.namespaces.flatMap((n) =>
      n.decisions.map((d) => [
        `${d.subject.kind}/${d.subject.name}`,
        [...new Set(d.violations.map((v) => v.rule))].sort(),
      ]),
    );
    assert.deepEqual(decisions, [
      ['CronJob/hello', ['policy/max-severity']],
      ['Pod/nginx', ['policy/max-severity']],
      ['Deployment/web', ['policy/max-severity']],
      // no report for the cache image: missingFacts deny
      ['StatefulSet/cache', ['policy/missing-facts']],
    ]);
    assert.equal(doc.images.find((i) => i.key.includes('/team/app'))!.source, 'report');
    // audit of the same: --exit-code 0 keeps the gate open
    const open = await runCli(
      [
        'k8s',
        '--kubeconfig',
        kubeconfig,
        '-n',
        'shop',
        '--images-from',
        report,
        '-p',
        policy,
        '--exit-code',
        '0',
      ],
      env,
    );
    assert.equal(open.code, 0, open.stderr);
    assert.match(open.stdout, /Policy "cluster" \(enforce\): 2 workload\(s\) denied/);
    assert.match(open.stdout, /Namespace shop: 2 workload\(s\) \(2 owned by them not repeated\)/);
  });

  it('SARIF and HTML from a client-certificate context, images skipped', async () => {
    const sarif = await runCli(
      ['k8s', '--kubeconfig', kubeconfig, '--context', 'cert', '-n', 'shop', '--skip-images', '-f', 'sarif'],
      env,
    );
    assert.equal(sarif.code, 0, sarif.stderr);
    const log = JSON.parse(sarif.stdout) as {
      version: string;
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    assert.equal(log.version, '2.1.0');
    const results = log.runs[0]!.results;
    assert.ok(results.length > 5);
    assert.ok(
      results.every((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'namespaces/shop'),
    );
    assert.ok(results.some((r) => r.ruleId === 'netpol/no-ingress-policy'));
    const html = await runCli(
      ['k8s', '--kubeconfig', kubeconfig, '-n', 'shop', '--skip-images', '-f', 'html', '--exit-code', '3'],
      env,
    );
    // findings remain and no policy is given: --exit-code applies
    assert.equal(html.code, 3, html.stderr);
    assert.match(html.stdout, /^<!DOCTYPE html>/);
    assert.match(html.stdout, /Content-Security-Policy/);
    assert.match(html.stdout, /StatefulSet\/cache/);
  });

  it('usage and configuration errors: bad credentials 3, unknown context 3, no kubeconfig 2, --help 0', async () => {
    const wrong = await runCli(
      ['k8s', '--kubeconfig', kubeconfig, '--context', 'wrong-token', '--skip-images'],
      env,
    );
    assert.equal(wrong.code, 3);
    assert.match(wrong.stderr, /error\[CONFIG\].*401/);
    assert.ok(!hasStackTrace(wrong.stderr));
    const ctx = await runCli(['k8s', '--kubeconfig', kubeconfig, '--context', 'nope'], env);
    assert.equal(ctx.code, 3);
    const none = await runCli(['k8s'], { ...env, HOME: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no kubeconfig/);
    const help = await runCli(['k8s', '--help'], env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--images-from/);
  });
});
