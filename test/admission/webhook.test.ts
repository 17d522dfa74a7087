// The admission webhook for real: `bulwark admission serve` as its own process, HTTPS with
// certificates made by `bulwark admission certs`, AdmissionReview v1 over the wire, the demo
// image's scan report as facts, and a real docker-registry on loopback for tag pinning.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import {
  BudgetCache,
  digestFetcher,
  makeAdmissionCerts,
  reviewAdmission,
  type AdmissionReviewOut,
} from '../../src/admission/index.js';
import { FactsIndex, parsePolicy } from '../../src/policy/index.js';
import { RegistryClient } from '../../src/registry/index.js';
import { REPO, runCli } from '../cli/helpers.js';
import { buildImage, freePort, startRegistry, type RunningRegistry } from '../registry/helpers.js';

const DEMO_DIGEST = 'sha256:6ba11e91e80b6b6eccc53ca7adda064307f4b63c3c5216eb7817e25247c03086';
let dir: string;
let ca: string;
let port: number;
let child: ChildProcess;
let stderr = '';

function post(p: string, body: string | Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: p,
        method: 'POST',
        ca,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function get(p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: p, ca }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    })
      .on('error', reject)
      .end();
  });
}

function reviewOf(object: Record<string, unknown>, over: Record<string, unknown> = {}) {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'e911857d-c318-11e8-bbad-025000000001',
      kind: { group: '', version: 'v1', kind: String(object.kind) },
      resource: { group: '', version: 'v1', resource: 'pods' },
      namespace: 'shop',
      operation: 'CREATE',
      userInfo: { username: 'alice' },
      object,
      dryRun: false,
      ...over,
    },
  });
}

const hardened = (image: string) => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'app',
      image,
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      resources: { limits: { memory: '128Mi' } },
    },
  ],
});

async function response(
  p: string,
  object: Record<string, unknown>,
  over = {},
): Promise<AdmissionReviewOut['response']> {
  const r = await post(p, reviewOf(object, over));
  assert.equal(r.status, 200, r.body);
  const doc = JSON.parse(r.body) as AdmissionReviewOut;
  assert.equal(doc.apiVersion, 'admission.k8s.io/v1');
  assert.equal(doc.kind, 'AdmissionReview');
  assert.equal(doc.response.uid, 'e911857d-c318-11e8-bbad-025000000001');
  return doc.response;
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-admission-'));
  const certs = await runCli(['admission', 'certs', '--ip', '127.0.0.1', '-o', path.join(dir, 'certs')]);
  assert.equal(certs.code, 0, certs.stderr);
  ca = await readFile(path.join(dir, 'certs', 'ca.crt'), 'utf8');
  // -o into a folder that does not exist is a usage error naming the file, not a crash
  const missing = await runCli(['image', '-f', 'json', '-o', path.join(dir, 'facts', 'demo.json')], {
    BULWARK_CACHE_DIR: path.join(dir, 'cache'),
  });
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /error\[USAGE\] .*demo\.json: cannot write the report/);
  await mkdirp(path.join(dir, 'facts'));
  const again = await runCli(['image', '-f', 'json', '-o', path.join(dir, 'facts', 'demo.json')], {
    BULWARK_CACHE_DIR: path.join(dir, 'cache'),
  });
  assert.equal(again.code, 0, again.stderr);
  await writeFile(path.join(dir, 'facts', 'garbage.json'), '{"not": "a report"}');
  port = await freePort();
  child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(REPO, 'test/cli/run-cli.ts'),
      'admission',
      'serve',
      '--listen',
      `127.0.0.1:${port}`,
      '--tls-cert',
      path.join(dir, 'certs', 'tls.crt'),
      '--tls-key',
      path.join(dir, 'certs', 'tls.key'),
      '--policy',
      path.join(REPO, 'examples/policy/policy.yaml'),
      '--facts',
      path.join(dir, 'facts'),
      '--offline',
    ],
    { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`webhook did not start: ${stderr}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('webhook listening')) {
        clearTimeout(t);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`webhook exited ${code}: ${stderr}`)));
  });
});

async function mkdirp(p: string) {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(p, { recursive: true });
}

after(async () => {
  child?.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

describe('bulwark admission serve (HTTPS, AdmissionReview v1)', () => {
  it('denies the demo image run as root with every violated rule in the status; logs a JSON line', async () => {
    const r = await response('/validate', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: { containers: [{ name: 'web', image: `demo@${DEMO_DIGEST}` }] },
    });
    assert.equal(r.allowed, false);
    assert.equal(r.status?.code, 403);
    assert.match(r.status!.message, /^bulwark policy "production" denied Pod shop\/web: /);
    for (const rule of ['policy/pod-security', 'policy/resource-limits', 'policy/max-severity', 'policy/kev'])
      assert.ok(r.status!.message.includes(rule), rule);
    assert.match(r.status!.message, /CVE-2021-44228/);
    await new Promise((res) => setTimeout(res, 50));
    const line = stderr.split('\n').find((l) => l.includes('"admission denied"'));
    assert.ok(line, stderr);
    assert.equal((JSON.parse(line) as { subject: { name: string } }).subject.name, 'web');
  });

  it('reviews every workload kind through its pod template (a CronJob)', async () => {
    const r = await response('/validate', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'shop' },
      spec: {
        schedule: '@daily',
        jobTemplate: {
          spec: { template: { spec: { containers: [{ name: 'j', image: 'docker.io/evil/miner:1' }] } } },
        },
      },
    });
    assert.equal(r.allowed, false);
    assert.match(r.status!.message, /CronJob shop\/nightly: .*policy\/allowed-registries/);
  });

  it('allows a hardened, pinned workload that was never scanned, with the missing-facts warning', async () => {
    const r = await response('/validate', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api' },
      spec: { template: { spec: hardened(`ghcr.io/acme/api@sha256:${'1'.repeat(64)}`) } },
    });
    assert.equal(r.allowed, true, JSON.stringify(r));
    assert.match(r.warnings!.join('\n'), /no vulnerability scan known for image "ghcr\.io\/acme\/api@/);
  });

  it('lets objects without pod templates, DELETE and CONNECT through untouched', async () => {
    assert.equal(
      (await response('/validate', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } })).allowed,
      true,
    );
    const del = await response(
      '/validate',
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'x' },
        spec: { containers: [{ name: 'c', image: 'evil/x' }] },
      },
      { operation: 'DELETE' },
    );
    assert.deepEqual(del, { uid: 'e911857d-c318-11e8-bbad-025000000001', allowed: true });
  });

  it('refuses what is not an AdmissionReview (400) and oversized bodies (413); health and metrics', async () => {
    const bad = await post('/validate', '{"apiVersion":"v1","kind":"Pod"}');
    assert.equal(bad.status, 400);
    assert.match(bad.body, /not an admission.k8s.io\/v1 AdmissionReview/);
    assert.equal((await post('/validate', 'not json')).status, 400);
    const big = await post('/validate', Buffer.alloc(4 * 1024 * 1024, 0x20));
    assert.equal(big.status, 413);
    assert.equal((await get('/healthz')).status, 200);
    const m = await get('/metrics');
    assert.match(m.body, /bulwark_admission_reviews_total\{verdict="denied"\} [1-9]/);
    assert.match(m.body, /bulwark_admission_reviews_total\{verdict="bad_request"\} [1-9]/);
    assert.match(stderr, /"facts file skipped".*garbage\.json/);
  });

  it('manifests: webhook configurations with the CA bundle, failure policy, and a restricted Deployment', async () => {
    const r = await runCli([
      'admission',
      'manifests',
      '--policy',
      'examples/policy/policy.yaml',
      '--certs',
      path.join(dir, 'certs'),
      '--mutate',
      '--failure-policy',
      'open',
    ]);
    assert.equal(r.code, 0, r.stderr);
    interface Hook {
      failurePolicy: string;
      clientConfig: { caBundle: string; service: { path: string } };
      namespaceSelector: { matchExpressions: { values: string[] }[] };
    }
    const docs = parseAllDocuments(r.stdout).map(
      (d) => d.toJS() as { kind: string; webhooks: Hook[]; data: Record<string, string> },
    );
    const kinds = docs.map((d) => d.kind);
    assert.deepEqual(kinds, [
      'Namespace',
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'Secret',
      'ConfigMap',
      'Deployment',
      'Service',
      'ValidatingWebhookConfiguration',
      'MutatingWebhookConfiguration',
    ]);
    const vwc = docs[8]!;
    assert.equal(Buffer.from(vwc.webhooks[0]!.clientConfig.caBundle, 'base64').toString(), ca);
    assert.equal(vwc.webhooks[0]!.failurePolicy, 'Ignore');
    assert.deepEqual(vwc.webhooks[0]!.namespaceSelector.matchExpressions[0]!.values, [
      'kube-system',
      'bulwark-system',
    ]);
    assert.equal(docs[9]!.webhooks[0]!.clientConfig.service.path, '/mutate');
    assert.equal(
      (parseYaml(docs[5]!.data['policy.yaml']!) as { metadata: { name: string } }).metadata.name,
      'production',
    );
    // the webhook's own Deployment passes the restricted policy it enforces
    const deploy = path.join(dir, 'deploy.yaml');
    await writeFile(deploy, JSON.stringify(docs[6]));
    const check = await runCli(['pss', '--level', 'restricted', deploy, '-f', 'json']);
    assert.equal(
      (JSON.parse(check.stdout) as { objects: { allowed: boolean }[] }).objects[0]!.allowed,
      true,
      check.stdout,
    );
  });
});

describe('admission reviews: budgets, mutation, failure policy', () => {
  const policy = parsePolicy(
    `apiVersion: bulwark.dev/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  signatures: {keys: [k.pub]}\n  images: {allowedRegistries: ["127.0.0.1:*/**"]}\n  missingFacts: warn\n`,
    'p.yaml',
  );
  const pod = (image: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image }] },
  });
  const body = (image: string) => JSON.parse(reviewOf(pod(image))) as unknown;

  let reg: RunningRegistry;
  let client: RegistryClient;
  let hang: Server;
  let hangPort: number;
  before(async () => {
    reg = await startRegistry();
    client = new RegistryClient({ retry: { baseDelayMs: 1, maxTotalWaitMs: 100 } });
    const image = await buildImage([{ 'etc/os-release': 'ID=debian\n' }]);
    for (const l of image.layers) await client.pushBlob(`${reg.host}/team/app`, l.blob);
    await client.pushBlob(`${reg.host}/team/app`, image.config);
    await client.pushManifest(`${reg.host}/team/app`, 'v1', image.manifest, image.mediaType);
    // a "registry" that accepts connections and never answers
    hang = createServer(() => {});
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', () => r()));
    hangPort = (hang.address() as { port: number }).port;
  });
  after(async () => {
    client?.close();
    await reg?.stop();
    hang?.close();
  });

  it('/mutate pins a tag to the digest the registry names now (JSONPatch)', async () => {
    const digests = new BudgetCache(
      digestFetcher((ref, r) => client.getManifest(ref, r)),
      60_000,
    );
    const out = await reviewAdmission(body(`${reg.host}/team/app:v1`), {
      policy,
      facts: { reports: new FactsIndex(), digests },
      mutate: true,
      failurePolicy: 'closed',
      budgetMs: 5000,
    });
    const r = out.review.response;
    assert.equal(r.allowed, true, JSON.stringify(r));
    assert.equal(r.patchType, 'JSONPatch');
    const manifest = await client.getManifest(`${reg.host}/team/app`, 'v1');
    assert.deepEqual(JSON.parse(Buffer.from(r.patch!, 'base64').toString()), [
      {
        op: 'replace',
        path: '/spec/containers/0/image',
        value: `${reg.host}/team/app:v1@${manifest.digest}`,
      },
    ]);
  });

  it('a registry that never answers costs at most the budget; missingFacts decides and the fetch fills the cache later', async () => {
    let calls = 0;
    const signatures = new BudgetCache(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 300));
      return { verified: true, message: 'verified late' };
    }, 60_000);
    const digests = new BudgetCache(
      digestFetcher((ref, r) => client.getManifest(ref, r)),
      60_000,
    );
    const image = `127.0.0.1:${hangPort}/team/app:v1`;
    const t0 = Date.now();
    const out = await reviewAdmission(body(image), {
      policy,
      facts: { reports: new FactsIndex(), signatures, digests },
      mutate: true,
      failurePolicy: 'closed',
      budgetMs: 100,
    });
    const elapsed = Date.now() - t0;
    assert.ok(elapsed < 5000, `returned after ${elapsed} ms`);
    const r = out.review.response;
    assert.equal(r.allowed, true);
    assert.match(r.warnings!.join('\n'), /no signature check known/);
    assert.match(r.warnings!.join('\n'), /was not pinned: its digest is not known yet/);
    await new Promise((res) => setTimeout(res, 400));
    const again = await reviewAdmission(body(image), {
      policy,
      facts: { reports: new FactsIndex(), signatures },
      mutate: false,
      failurePolicy: 'closed',
      budgetMs: 0,
    });
    assert.equal(again.review.response.warnings, undefined, 'the verdict came from the cache');
    assert.equal(calls, 1);
  });

  it('a failure to evaluate follows the failure policy: closed denies, open allows with a warning', async () => {
    const broken = {
      reports: {
        get: () => {
          throw new Error('facts store unavailable');
        },
      } as unknown as FactsIndex,
    };
    const closed = await reviewAdmission(body('127.0.0.1:5000/a:1'), {
      policy,
      facts: broken,
      mutate: false,
      failurePolicy: 'closed',
      budgetMs: 10,
    });
    assert.equal(closed.review.response.allowed, false);
    assert.equal(closed.review.response.status?.code, 500);
    assert.match(closed.review.response.status!.message, /facts store unavailable/);
    const open = await reviewAdmission(body('127.0.0.1:5000/a:1'), {
      policy,
      facts: broken,
      mutate: false,
      failurePolicy: 'open',
      budgetMs: 10,
    });
    assert.equal(open.review.response.allowed, true);
    assert.match(open.review.response.warnings![0]!, /failure policy: open/);
  });

  it('audit mode (serve --dry-run) admits and returns the violations as warnings', async () => {
    const audit = parsePolicy(
      `apiVersion: bulwark.dev/v1\nkind: Policy\nmetadata: {name: a}\nspec:\n  mode: audit\n  images: {requireDigest: true}\n`,
      'a.yaml',
    );
    const out = await reviewAdmission(body('nginx:1.27'), {
      policy: audit,
      facts: { reports: new FactsIndex() },
      mutate: false,
      failurePolicy: 'closed',
      budgetMs: 10,
    });
    assert.equal(out.review.response.allowed, true);
    assert.deepEqual(out.review.response.warnings, [
      '[audit] policy/mutable-tag: image "nginx:1.27" is not pinned by digest',
    ]);
    assert.equal(out.verdict, 'audit');
  });

  it('certificates: the serving certificate chains to the CA and names the Service', async () => {
    const c = await makeAdmissionCerts({ service: 'wh', namespace: 'ns', ipAddresses: ['127.0.0.1'] });
    const { X509Certificate } = await import('node:crypto');
    const leaf = new X509Certificate(c.certPem);
    const root = new X509Certificate(c.caCertPem);
    assert.ok(leaf.verify(root.publicKey));
    assert.equal(root.ca, true);
    assert.equal(leaf.ca, false);
    assert.ok(leaf.checkHost('wh.ns.svc'));
    assert.ok(leaf.checkIP('127.0.0.1'));
    assert.equal(leaf.checkHost('other.ns.svc'), undefined);
  });
});
