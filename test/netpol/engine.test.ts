import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildModel,
  connectivity,
  readText,
  renderTxt,
  rows,
  type ReadResult,
} from '../../src/netpol/index.js';

/** Connection lines for manifests given as YAML text. */
function lines(yaml: string, focus = {}): string[] {
  const read: ReadResult = { objects: [], errors: [], warnings: [], files: 1 };
  readText(yaml, 'm.yaml', read);
  assert.deepEqual(read.errors, []);
  const model = buildModel(read.objects);
  assert.deepEqual(model.errors, []);
  const t = renderTxt(rows(connectivity(model, focus).connections));
  return t ? t.split('\n') : [];
}

const flow = (l: Record<string, string>) =>
  `{ ${Object.entries(l)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')} }`;

const pod = (name: string, ns: string, labels: Record<string, string>, ports = '') => `---
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${ns}, labels: ${flow(labels)} }
spec:
  containers:
    - name: c
      image: x
${ports}
`;

const ns = (name: string, labels: Record<string, string> = {}) => `---
apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: ${flow(labels)} }
`;

const policy = (name: string, namespace: string, spec: string) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}
`;

const twoPods = pod('a', 'x', { app: 'a' }) + pod('b', 'x', { app: 'b' });

describe('netpol engine', () => {
  it('allows everything between pods no policy selects, IPv4 whole in both directions', () => {
    assert.deepEqual(lines(twoPods), [
      '0.0.0.0-255.255.255.255[External] => x/a[Pod] : All Connections',
      '0.0.0.0-255.255.255.255[External] => x/b[Pod] : All Connections',
      'x/a[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'x/a[Pod] => x/b[Pod] : All Connections',
      'x/b[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'x/b[Pod] => x/a[Pod] : All Connections',
    ]);
  });

  it('a policy without rules denies the direction it declares; no policyTypes means Ingress only', () => {
    const deny = policy('deny', 'x', '  podSelector: { matchLabels: { app: b } }');
    const out = lines(twoPods + deny);
    assert.ok(!out.some((l) => l.includes('=> x/b[Pod]')), 'no such line');
    assert.ok(
      out.includes('x/b[Pod] => x/a[Pod] : All Connections'),
      'x/b[Pod] => x/a[Pod] : All Connections',
    );
  });

  it('Egress appears in the defaults only when egress rules are present', () => {
    const p = policy('e', 'x', '  podSelector: {}\n  egress:\n    - ports: [{ port: 53, protocol: UDP }]');
    const out = lines(twoPods + p);
    // ingress is denied too (the policy has no ingress rules), egress only UDP 53
    assert.deepEqual(out, [
      'x/a[Pod] => 0.0.0.0-255.255.255.255[External] : UDP 53',
      'x/b[Pod] => 0.0.0.0-255.255.255.255[External] : UDP 53',
    ]);
  });

  it('a connection needs the source egress and the destination ingress', () => {
    const pol =
      policy(
        'a-out',
        'x',
        '  podSelector: { matchLabels: { app: a } }\n  policyTypes: [Egress]\n  egress:\n    - ports: [{ port: 80 }, { port: 443 }]',
      ) +
      policy(
        'b-in',
        'x',
        '  podSelector: { matchLabels: { app: b } }\n  ingress:\n    - ports: [{ port: 443 }, { port: 8000, endPort: 8100 }]',
      );
    assert.ok(lines(twoPods + pol).includes('x/a[Pod] => x/b[Pod] : TCP 443'), 'TCP 443 only');
  });

  it('namespaceSelector and podSelector in one peer must both match; a podSelector alone stays in the namespace', () => {
    const all =
      ns('x') +
      ns('y', { team: 'blue' }) +
      twoPods +
      pod('c', 'y', { app: 'a' }) +
      pod('d', 'y', { app: 'z' }) +
      policy(
        'b-in',
        'x',
        '  podSelector: { matchLabels: { app: b } }\n  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { team: blue } }\n          podSelector: { matchLabels: { app: a } }\n        - podSelector: { matchExpressions: [{ key: app, operator: NotIn, values: [b, z] }] }',
      );
    const to = lines(all).filter((l) => l.includes('=> x/b[Pod]'));
    assert.deepEqual(to, [
      'x/a[Pod] => x/b[Pod] : All Connections',
      'y/c[Pod] => x/b[Pod] : All Connections',
    ]);
  });

  it('ipBlock with except cuts the external ranges of its direction only', () => {
    const p = policy(
      'b-in',
      'x',
      '  podSelector: { matchLabels: { app: b } }\n  ingress:\n    - from:\n        - ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] }',
    );
    const out = lines(twoPods + p);
    assert.ok(
      out.includes('10.0.0.0-10.0.255.255[External] => x/b[Pod] : All Connections'),
      '10.0.0.0-10.0.255.255[External] => x/b[Pod] : All Connections',
    );
    assert.ok(
      out.includes('10.2.0.0-10.255.255.255[External] => x/b[Pod] : All Connections'),
      '10.2.0.0-10.255.255.255[External] => x/b[Pod] : All Connections',
    );
    assert.ok(!out.some((l) => l.startsWith('10.1.0.0-10.1.255.255[External] => x/b')), 'no such line');
    assert.ok(
      out.includes('10.1.0.0-10.1.255.255[External] => x/a[Pod] : All Connections'),
      '10.1.0.0-10.1.255.255[External] => x/a[Pod] : All Connections',
    );
    // egress was not cut
    assert.ok(
      out.includes('x/a[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections'),
      'x/a[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
    );
  });

  it('named ports resolve on the destination container, with their protocol; SCTP and UDP are their own', () => {
    const ports =
      '      ports:\n        - { name: dns, containerPort: 5353, protocol: UDP }\n        - { name: web, containerPort: 8080 }';
    const p = policy(
      'b-in',
      'x',
      '  podSelector: { matchLabels: { app: b } }\n  ingress:\n    - ports: [{ port: dns, protocol: UDP }, { port: web, protocol: UDP }, { port: 9000, protocol: SCTP }]',
    );
    const out = lines(pod('a', 'x', { app: 'a' }) + pod('b', 'x', { app: 'b' }, ports) + p);
    assert.ok(out.includes('x/a[Pod] => x/b[Pod] : SCTP 9000,UDP 5353'), out.join('\n'));
  });

  it('names workloads after the controller and keeps a ReplicaSet with no Deployment above', () => {
    const owned = `---
apiVersion: v1
kind: Pod
metadata:
  name: web-7d9f-abc
  ownerReferences: [{ kind: ReplicaSet, name: web-7d9f, controller: true }]
spec: { containers: [{ name: c, image: x }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec: { template: { metadata: { labels: { app: api } }, spec: { containers: [{ name: c, image: x }] } } }`;
    const out = lines(owned);
    assert.ok(
      out.includes('default/api[Deployment] => default/web-7d9f[ReplicaSet] : All Connections'),
      'default/api[Deployment] => default/web-7d9f[ReplicaSet] : All Connections',
    );
  });

  it('focus on a workload keeps its connections only, and a direction keeps one side', () => {
    const three = twoPods + pod('c', 'x', { app: 'c' });
    const f = lines(three, { workloads: ['a'] });
    assert.ok(
      f.every((l) => l.includes('x/a[Pod]')),
      'focus',
    );
    const ing = lines(three, { workloads: ['x/a'], direction: 'ingress' });
    assert.ok(
      ing.length > 0 && ing.every((l) => l.endsWith('=> x/a[Pod] : All Connections')),
      'ingress focus',
    );
    assert.deepEqual(lines(three, { workloads: ['nope'] }), []);
  });

  it('Ingress objects open the ports their Service reaches to {ingress-controller}, after policies', () => {
    const app = `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: x }
spec:
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: c, image: x, ports: [{ name: http, containerPort: 8080 }, { containerPort: 9090 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: x }
spec: { selector: { app: web }, ports: [{ name: h, port: 80, targetPort: http }, { port: 90, targetPort: 9090 }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: x }
spec:
  rules:
    - http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { name: h } } } }] }
`;
    assert.ok(
      lines(app).includes('{ingress-controller} => x/web[Deployment] : TCP 8080'),
      'via Service port name',
    );
    const blocked = policy('deny', 'x', '  podSelector: {}');
    assert.ok(!lines(app + blocked).some((l) => l.startsWith('{ingress-controller}')), 'no such line');
  });
});
