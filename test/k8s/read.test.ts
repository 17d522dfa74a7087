// Reading a cluster through its API: @kubernetes/client-node's KubeConfig (token and client
// certificate contexts, the in-cluster service account) against the test API server, which
// serves recorded real API objects over HTTPS with paging, 401 and 403; and hostile answers
// (huge list, deep JSON, wrong kind, a repeated continue token) cost their namespace only.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServerResponse } from 'node:http';
import type { BulwarkError } from '../../src/core/errors.js';
import {
  connectCluster,
  digestOfImageId,
  imageKey,
  jsonDepthExceeds,
  readCluster,
  runningDigests,
  selectWorkloads,
} from '../../src/k8s/index.js';
import {
  makeKubeCerts,
  parseLabelSelector,
  startFakeKube,
  writeKubeconfig,
  type FakeKube,
  type KubeCerts,
} from '../helpers/kube-apiserver.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.test-token';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
let dir: string;
let certs: KubeCerts;
let kube: FakeKube;
let kubeconfig: string;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-k8s-read-'));
  certs = await makeKubeCerts(dir);
  kube = await startFakeKube({
    certs,
    token: TOKEN,
    forbiddenNamespaces: ['secret'],
    rewrite: { 'registry.bulwark.test': '127.0.0.1:5999', 'sha256:APP_DIGEST': DIGEST },
  });
  kubeconfig = path.join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, kube, certs, TOKEN);
});

after(async () => {
  await kube.close();
  await rm(dir, { recursive: true, force: true });
});

const summary = (r: Awaited<ReturnType<typeof readCluster>>) =>
  r.namespaces.map((n) => [
    n.name,
    n.error?.code ?? null,
    n.objects.map((o) => `${o.kind}/${o.metadata.name}`),
  ]);

describe('bulwark k8s: reading the API', () => {
  it('lists every namespace and kind with a token, paging through continue; items get their kind back', async () => {
    const conn = await connectCluster({ kubeconfig });
    assert.equal(conn.context, 'token');
    assert.equal(conn.server, kube.url);
    const start = kube.requests.length;
    const r = await readCluster(conn, { chunkSize: 1 });
    assert.deepEqual(summary(r), [
      ['batch', null, ['Pod/nginx', 'Job/hello-1567179180', 'CronJob/hello']],
      ['kube-system', null, ['DaemonSet/fluentd-gcp-v3.2.0']],
      ['secret', 'INPUT_NOT_FOUND', []],
      [
        'shop',
        null,
        [
          'Pod/web-7d4b578979-2w75j',
          'Deployment/web',
          'StatefulSet/cache',
          'ReplicaSet/web-7d4b578979',
          'NetworkPolicy/web',
          'Service/web',
        ],
      ],
    ]);
    // 4 namespaces in pages of 1: 4 pages + 3 namespaces x 8 kinds (+1 page per extra item) + the 403
    const reqs = kube.requests.slice(start);
    assert.ok(reqs.every((q) => q.query.limit === '1'));
    const continued = reqs.filter((q) => q.query.continue);
    assert.ok(continued.some((q) => q.path === '/api/v1/namespaces'));
    assert.ok(continued.some((q) => q.path === '/api/v1/namespaces/batch/pods') === false);
    assert.equal(r.requests, reqs.length - 1, 'every request but the forbidden one is counted');
    const secret = r.namespaces.find((n) => n.name === 'secret')!;
    assert.equal(secret.error?.resource, 'pods');
    assert.match(secret.error!.message, /forbidden \(403\).*cannot list resource "pods".*"secret"/);
    const dp = r.namespaces.find((n) => n.name === 'shop')!.objects.find((o) => o.kind === 'Deployment')!;
    assert.equal(dp.apiVersion, 'apps/v1');
  });

  it('authenticates with a client certificate from the kubeconfig (the server sees its CN)', async () => {
    const conn = await connectCluster({ kubeconfig, context: 'cert' });
    assert.equal(conn.namespace, 'shop');
    const start = kube.requests.length;
    const r = await readCluster(conn, { namespaces: ['shop'] });
    assert.equal(r.namespaces.length, 1);
    assert.equal(r.namespaces[0]!.objects.length, 6);
    assert.ok(kube.requests.slice(start).every((q) => q.user === 'bulwark-scanner'));
  });

  it('a rejected token is a CONFIG error for the whole run; an unknown context names the ones there are', async () => {
    const conn = await connectCluster({ kubeconfig, context: 'wrong-token' });
    await assert.rejects(
      readCluster(conn),
      (e: BulwarkError) => e.code === 'CONFIG' && /401/.test(e.message),
    );
    await assert.rejects(
      connectCluster({ kubeconfig, context: 'nope' }),
      (e: BulwarkError) => e.code === 'CONFIG' && /token, cert, wrong-token/.test(e.message),
    );
    await assert.rejects(
      connectCluster({ kubeconfig: path.join(dir, 'missing') }),
      (e: BulwarkError) => e.code === 'INPUT_NOT_FOUND',
    );
  });

  it('label selectors reach the API for workloads, not for NetworkPolicies', async () => {
    const conn = await connectCluster({ kubeconfig });
    const start = kube.requests.length;
    const r = await readCluster(conn, { namespaces: ['shop'], labelSelector: 'app=web' });
    assert.deepEqual(
      r.namespaces[0]!.objects.map((o) => `${o.kind}/${o.metadata.name}`),
      [
        'Pod/web-7d4b578979-2w75j',
        'Deployment/web',
        'ReplicaSet/web-7d4b578979',
        'NetworkPolicy/web',
        'Service/web',
      ],
    );
    const reqs = kube.requests.slice(start);
    assert.equal(reqs.find((q) => q.path.endsWith('/networkpolicies'))!.query.labelSelector, undefined);
    assert.equal(reqs.find((q) => q.path.endsWith('/services'))!.query.labelSelector, undefined);
    assert.equal(reqs.find((q) => q.path.endsWith('/deployments'))!.query.labelSelector, 'app=web');
    assert.deepEqual(parseLabelSelector('app in (web,api),!legacy,tier!=db')?.length, 3);
  });

  it('an expired continue token (410) lists again in one piece, as client-go does', async () => {
    const conn = await connectCluster({ kubeconfig });
    kube.expireContinueTokens(true);
    try {
      const start = kube.requests.length;
      const r = await readCluster(conn, { namespaces: ['shop'], chunkSize: 2 });
      assert.equal(r.namespaces[0]!.error, undefined);
      assert.equal(r.namespaces[0]!.objects.length, 6);
      // the namespace list: a page of 2, its continue token refused, then the whole list at once
      const ns = kube.requests.slice(start).filter((q) => q.path === '/api/v1/namespaces');
      assert.deepEqual(
        ns.map((q) => [q.query.limit ?? null, Boolean(q.query.continue)]),
        [
          ['2', false],
          ['2', true],
          [null, false],
        ],
      );
      assert.equal(r.requests, 3 + 10);
    } finally {
      kube.expireContinueTokens(false);
    }
  });

  it('the in-cluster service account (token file, CA, namespace) from an overridable folder', async () => {
    const sa = path.join(dir, 'sa');
    await mkdir(sa);
    await writeFile(path.join(sa, 'token'), TOKEN);
    await writeFile(path.join(sa, 'ca.crt'), await readFile(certs.caCert));
    await writeFile(path.join(sa, 'namespace'), 'batch\n');
    const port = new URL(kube.url).port;
    const conn = await connectCluster({ inCluster: { host: '127.0.0.1', port, serviceAccountDir: sa } });
    assert.equal(conn.context, 'in-cluster');
    assert.equal(conn.namespace, 'batch');
    const r = await readCluster(conn, { namespaces: ['batch'] });
    assert.equal(r.namespaces[0]!.objects.length, 3);
    await assert.rejects(
      connectCluster({ inCluster: { host: '127.0.0.1', port, serviceAccountDir: path.join(dir, 'none') } }),
      (e: BulwarkError) => e.code === 'INPUT_NOT_FOUND',
    );
  });

  it('hostile answers (huge, deep, wrong kind, repeated continue) degrade that namespace only', async () => {
    const hostile = await startFakeKube({ certs, token: TOKEN });
    try {
      const cfg = path.join(dir, 'hostile-kubeconfig');
      await writeKubeconfig(cfg, hostile, certs, TOKEN);
      const json = (body: string) => (_req: unknown, res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      };
      // shop: a 2 MiB list against a 1 MiB bound
      const big = {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: {},
        items: [{ metadata: { name: 'x'.repeat(2 << 20) } }],
      };
      hostile.override('/api/v1/namespaces/shop/pods', json(JSON.stringify(big)));
      // batch: nesting 10,000 deep
      hostile.override(
        '/apis/apps/v1/namespaces/batch/deployments',
        json(`${'['.repeat(10_000)}${']'.repeat(10_000)}`),
      );
      // kube-system: a Status where a list belongs
      hostile.override(
        '/apis/batch/v1/namespaces/kube-system/cronjobs',
        json('{"kind":"SecretList","items":[]}'),
      );
      // secret: a server that pages forever
      hostile.override(
        '/api/v1/namespaces/secret/pods',
        json('{"kind":"PodList","apiVersion":"v1","metadata":{"continue":"again"},"items":[]}'),
      );
      const conn = await connectCluster({ kubeconfig: cfg, maxResponseBytes: 1 << 20 });
      const r = await readCluster(conn);
      assert.deepEqual(
        r.namespaces.map((n) => [n.name, n.error?.code ?? null, n.error?.resource ?? null]),
        [
          ['batch', 'LIMIT_EXCEEDED', 'deployments'],
          ['kube-system', 'MALFORMED_INPUT', 'cronjobs'],
          ['secret', 'MALFORMED_INPUT', 'pods'],
          ['shop', 'LIMIT_EXCEEDED', 'pods'],
        ],
      );
      assert.match(r.namespaces[3]!.error!.message, /larger than 1048576 bytes/);
      assert.match(r.namespaces[1]!.error!.message, /expected a CronJobList, got a SecretList/);
      // every other namespace is still read when one is hostile
      hostile.override(
        '/api/v1/namespaces/shop/pods',
        json('{"kind":"PodList","items":[{"spec":{}},{"metadata":{"name":"ok"}}]}'),
      );
      const again = await readCluster(conn, { namespaces: ['shop', 'kube-system'] });
      const shop = again.namespaces.find((n) => n.name === 'shop')!;
      assert.equal(shop.error, undefined);
      assert.deepEqual(shop.warnings, ['1 pods without metadata.name skipped']);
      assert.ok(shop.objects.some((o) => o.metadata.name === 'ok'));
      assert.equal(jsonDepthExceeds('{"a":"[[[[[[[["}', 3), false);
    } finally {
      await hostile.close();
    }
  });
});

describe('bulwark k8s: workloads and images', () => {
  it('skips objects whose listed controller stands for them, and scans a tag by the digest its pods run', async () => {
    const conn = await connectCluster({ kubeconfig });
    const r = await readCluster(conn, { namespaces: ['shop', 'batch'] });
    const [batch, shop] = r.namespaces;
    const sel = selectWorkloads(shop!.objects);
    assert.deepEqual(
      sel.workloads.map((o) => `${o.kind}/${o.metadata.name}`),
      ['Deployment/web', 'StatefulSet/cache'],
    );
    assert.equal(sel.owned, 2);
    assert.deepEqual(
      selectWorkloads(batch!.objects).workloads.map((o) => `${o.kind}/${o.metadata.name}`),
      ['Pod/nginx', 'CronJob/hello'],
    );
    const running = runningDigests([...shop!.objects, ...batch!.objects]);
    assert.equal(imageKey('127.0.0.1:5999/team/app:v1', running), `127.0.0.1:5999/team/app@${DIGEST}`);
    assert.equal(imageKey(`127.0.0.1:5999/team/app@${DIGEST}`, running), `127.0.0.1:5999/team/app@${DIGEST}`);
    assert.equal(imageKey('127.0.0.1:5999/team/cache:1.0', running), '127.0.0.1:5999/team/cache:1.0');
    assert.equal(digestOfImageId(`docker-pullable://nginx@${DIGEST}`), `docker.io/library/nginx@${DIGEST}`);
    assert.equal(digestOfImageId(DIGEST), undefined);
  });
});
