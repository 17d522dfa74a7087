/**
 * A small Kubernetes API server for tests, since no kube-apiserver runs here. It speaks the real
 * wire format over HTTPS (a private CA, a serving certificate for 127.0.0.1, client certificates):
 * v1 `XList` responses whose items carry no apiVersion/kind (as the API server writes them),
 * `metadata.resourceVersion`, `limit`/`continue` paging with `remainingItemCount`, label
 * selectors, `Status` bodies for 401 (no or wrong bearer token, no client certificate from the CA)
 * and 403 (a forbidden namespace). The objects are recorded real API objects
 * (test/fixtures/k8s/README.md); `rewrite` points their images at a test registry.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export const CLUSTER_FIXTURE = path.resolve(import.meta.dirname, '../fixtures/k8s/cluster.json');

interface ResourceInfo {
  group: string;
  listKind: string;
  apiVersion: string;
  namespaced: boolean;
}

/** The resources bulwark k8s reads, where the API serves them. */
export const RESOURCES: Record<string, ResourceInfo> = {
  namespaces: { group: '/api/v1', listKind: 'NamespaceList', apiVersion: 'v1', namespaced: false },
  pods: { group: '/api/v1', listKind: 'PodList', apiVersion: 'v1', namespaced: true },
  deployments: {
    group: '/apis/apps/v1',
    listKind: 'DeploymentList',
    apiVersion: 'apps/v1',
    namespaced: true,
  },
  daemonsets: { group: '/apis/apps/v1', listKind: 'DaemonSetList', apiVersion: 'apps/v1', namespaced: true },
  statefulsets: {
    group: '/apis/apps/v1',
    listKind: 'StatefulSetList',
    apiVersion: 'apps/v1',
    namespaced: true,
  },
  replicasets: {
    group: '/apis/apps/v1',
    listKind: 'ReplicaSetList',
    apiVersion: 'apps/v1',
    namespaced: true,
  },
  jobs: { group: '/apis/batch/v1', listKind: 'JobList', apiVersion: 'batch/v1', namespaced: true },
  cronjobs: { group: '/apis/batch/v1', listKind: 'CronJobList', apiVersion: 'batch/v1', namespaced: true },
  services: { group: '/api/v1', listKind: 'ServiceList', apiVersion: 'v1', namespaced: true },
  ingresses: {
    group: '/apis/networking.k8s.io/v1',
    listKind: 'IngressList',
    apiVersion: 'networking.k8s.io/v1',
    namespaced: true,
  },
  networkpolicies: {
    group: '/apis/networking.k8s.io/v1',
    listKind: 'NetworkPolicyList',
    apiVersion: 'networking.k8s.io/v1',
    namespaced: true,
  },
};

export interface KubeCerts {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

async function openssl(args: string[]): Promise<void> {
  await execFileP('openssl', args);
}

/** A private CA, a serving certificate for 127.0.0.1 and a client certificate, made by openssl. */
export async function makeKubeCerts(dir: string): Promise<KubeCerts> {
  const f = (n: string) => path.join(dir, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(
    ['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt')].concat([
      '-days',
      '2',
      '-subj',
      '/CN=kubernetes-test-ca',
    ]),
  );
  const leaf = async (name: string, subj: string, ext: string) => {
    await writeFile(f(`${name}.ext`), ext);
    await openssl(['req', ...ec, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', subj]);
    await openssl(
      ['x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key')].concat([
        '-CAcreateserial',
        '-out',
        f(`${name}.crt`),
        '-days',
        '2',
        '-extfile',
        f(`${name}.ext`),
      ]),
    );
  };
  await leaf('apiserver', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  await leaf('client', '/O=bulwark:scanners/CN=bulwark-scanner', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    caCert: f('ca.crt'),
    caKey: f('ca.key'),
    serverCert: f('apiserver.crt'),
    serverKey: f('apiserver.key'),
    clientCert: f('client.crt'),
    clientKey: f('client.key'),
  };
}

export interface FakeKubeOptions {
  certs: KubeCerts;
  /** the bearer token accepted (a client certificate from the CA is accepted too) */
  token: string;
  /** namespaces whose lists answer 403 */
  forbiddenNamespaces?: string[];
  /** lists across all namespaces answer 403 (a namespace-scoped service account) */
  namespacedOnly?: boolean;
  /** literal replacements applied to the recorded objects (image registry, digests) */
  rewrite?: Record<string, string>;
  /** objects by resource; default the recorded cluster fixture */
  objects?: Record<string, Record<string, unknown>[]>;
}

export interface RequestRecord {
  path: string;
  query: Record<string, string>;
  user: string;
}

export interface FakeKube {
  url: string;
  requests: RequestRecord[];
  /** answers one path (any query) with this handler instead of the recorded data */
  override(pathname: string, handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  /** from now on every continue token has expired (410 Gone, as after etcd compaction) */
  expireContinueTokens(on: boolean): void;
  close(): Promise<void>;
}

function status(res: ServerResponse, code: number, reason: string, message: string, details?: object): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    }),
  );
}

type Requirement = (labels: Record<string, string>) => boolean;

/** Label selectors as the API server reads them: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`. */
export function parseLabelSelector(sel: string): Requirement[] | undefined {
  const out: Requirement[] = [];
  const parts = sel.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  for (const raw of parts.map((p) => p.trim()).filter(Boolean)) {
    let m: RegExpMatchArray | null;
    if ((m = raw.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const [, k, op, list] = m as unknown as [string, string, string, string];
      const vals = list.split(',').map((v) => v.trim());
      out.push(op === 'in' ? (l) => vals.includes(l[k] ?? '\0') : (l) => !vals.includes(l[k] ?? '\0'));
    } else if ((m = raw.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/))) {
      const [, k, op, v] = m as unknown as [string, string, string, string];
      out.push(op === '!=' ? (l) => l[k] !== v : (l) => l[k] === v);
    } else if ((m = raw.match(/^!([\w./-]+)$/))) {
      const k = m[1]!;
      out.push((l) => !(k in l));
    } else if ((m = raw.match(/^([\w./-]+)$/))) {
      const k = m[1]!;
      out.push((l) => k in l);
    } else return undefined;
  }
  return out;
}

type Obj = { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } } & Record<
  string,
  unknown
>;

export async function startFakeKube(opts: FakeKubeOptions): Promise<FakeKube> {
  let objects = opts.objects;
  if (!objects) {
    let text = await readFile(CLUSTER_FIXTURE, 'utf8');
    for (const [from, to] of Object.entries(opts.rewrite ?? {})) text = text.split(from).join(to);
    objects = JSON.parse(text) as Record<string, Record<string, unknown>[]>;
  }
  const data = objects;
  const requests: RequestRecord[] = [];
  const overrides = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  const forbidden = new Set(opts.forbiddenNamespaces ?? []);
  let rv = 48999995;
  let expire = false;

  const server = https.createServer(
    {
      key: await readFile(opts.certs.serverKey),
      cert: await readFile(opts.certs.serverCert),
      ca: await readFile(opts.certs.caCert),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const query = Object.fromEntries(url.searchParams);
      const socket = req.socket as TLSSocket;
      let user = '';
      if (req.headers.authorization === `Bearer ${opts.token}`)
        user = 'system:serviceaccount:bulwark:scanner';
      else if (!req.headers.authorization && socket.authorized) {
        const cn = socket.getPeerCertificate().subject?.CN;
        user = Array.isArray(cn) ? cn[0]! : (cn ?? '');
      }
      requests.push({ path: url.pathname, query, user });
      if (!user) return status(res, 401, 'Unauthorized', 'Unauthorized');
      const override = overrides.get(url.pathname);
      if (override) return override(req, res);
      if (req.method !== 'GET')
        return status(res, 405, 'MethodNotAllowed', 'the server does not allow this method');

      const m = url.pathname.match(
        /^(\/api\/v1|\/apis\/[\w.]+\/v1)(?:\/namespaces\/([a-z0-9-]+))?\/([a-z]+)$/,
      );
      const resource = m?.[3];
      const info = resource ? RESOURCES[resource] : undefined;
      if (!m || !info || info.group !== m[1] || (m[2] && !info.namespaced))
        return status(res, 404, 'NotFound', 'the server could not find the requested resource');
      const ns = m[2];
      const who = `User "${user}"`;
      if (ns && forbidden.has(ns))
        return status(
          res,
          403,
          'Forbidden',
          `${resource} is forbidden: ${who} cannot list resource "${resource}" in API group "${info.group.startsWith('/apis/') ? info.group.split('/')[2] : ''}" in the namespace "${ns}"`,
          { kind: resource },
        );
      if (!ns && info.namespaced && opts.namespacedOnly)
        return status(
          res,
          403,
          'Forbidden',
          `${resource} is forbidden: ${who} cannot list resource "${resource}" in API group "" at the cluster scope`,
          { kind: resource },
        );
      let items = (data[resource!] ?? []) as Obj[];
      if (ns) items = items.filter((o) => o.metadata?.namespace === ns);
      if (query.labelSelector) {
        const reqs = parseLabelSelector(query.labelSelector);
        if (!reqs)
          return status(res, 400, 'BadRequest', `unable to parse requirement: ${query.labelSelector}`);
        items = items.filter((o) => reqs.every((r) => r(o.metadata?.labels ?? {})));
      }
      const key = (o: Obj) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
      items = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      let listRv = String(rv++);
      if (query.continue && expire)
        return status(
          res,
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      if (query.continue) {
        let token: { v?: string; rv?: number; start?: string };
        try {
          token = JSON.parse(Buffer.from(query.continue, 'base64').toString('utf8')) as typeof token;
        } catch {
          return status(res, 400, 'BadRequest', 'continue key is not valid: illegal base64 data');
        }
        if (token.v !== 'meta.k8s.io/v1' || typeof token.start !== 'string')
          return status(
            res,
            400,
            'BadRequest',
            'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
          );
        const start = token.start.replace(/\0$/, '');
        items = items.filter((o) => key(o) > start);
        listRv = String(token.rv);
      }
      const limit = query.limit ? Number(query.limit) : 0;
      let page = items;
      const metadata: Record<string, unknown> = { resourceVersion: listRv };
      if (limit > 0 && items.length > limit) {
        page = items.slice(0, limit);
        metadata.continue = Buffer.from(
          JSON.stringify({
            v: 'meta.k8s.io/v1',
            rv: Number(listRv),
            start: `${key(page[page.length - 1]!)}\0`,
          }),
        ).toString('base64');
        metadata.remainingItemCount = items.length - limit;
      }
      // the API server writes list items without apiVersion and kind
      const body = {
        kind: info.listKind,
        apiVersion: info.apiVersion,
        metadata,
        items: page.map((o) => {
          const { apiVersion: _a, kind: _k, ...rest } = o;
          return rest;
        }),
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    override: (p, h) => overrides.set(p, h),
    expireContinueTokens: (on) => {
      expire = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A kubeconfig with three contexts on the fake: `token` (a bearer token, the current context),
 * `cert` (a client certificate from the CA) and `wrong-token`.
 */
export async function writeKubeconfig(
  file: string,
  kube: FakeKube,
  certs: KubeCerts,
  token: string,
): Promise<void> {
  const b64 = async (p: string) => (await readFile(p)).toString('base64');
  const ca = await b64(certs.caCert);
  const yaml = `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: ${kube.url}
    certificate-authority-data: ${ca}
users:
- name: scanner-token
  user:
    token: ${token}
- name: scanner-cert
  user:
    client-certificate-data: ${await b64(certs.clientCert)}
    client-key-data: ${await b64(certs.clientKey)}
- name: wrong-token
  user:
    token: not-the-token
contexts:
- name: token
  context: {cluster: test, user: scanner-token}
- name: cert
  context: {cluster: test, user: scanner-cert, namespace: shop}
- name: wrong-token
  context: {cluster: test, user: wrong-token}
current-context: token
`;
  await writeFile(file, yaml, { mode: 0o600 });
}
