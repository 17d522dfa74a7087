/**
 * Issue 10 target: connectivity for 500 workloads and 200 NetworkPolicies in under 2 s. Reported
 * twice: against the absolute bound, and as a ratio to parsing the same manifests (the loader
 * every command must run first) measured in the same run.
 */
import { readText, type ReadResult } from '../src/netpol/resources.js';
import { buildModel } from '../src/netpol/model.js';
import { connectivity } from '../src/netpol/engine.js';
import type { BenchResult } from './run.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NAMESPACES = 20;
const APPS = ['web', 'api', 'db', 'cache', 'queue', 'worker', 'auth', 'search'];

/** 500 Deployments in 20 namespaces and 200 policies mixing selectors, ipBlocks and named ports. */
export function clusterManifest(workloads = 500, policies = 200): string {
  const r = rng(7);
  const docs: string[] = [];
  for (let n = 0; n < NAMESPACES; n++)
    docs.push(
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns${n}\n  labels: { team: t${n % 5}, env: ${n % 2 ? 'prod' : 'dev'} }`,
    );
  for (let i = 0; i < workloads; i++) {
    const app = APPS[i % APPS.length]!;
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: { name: ${app}-${i}, namespace: ns${i % NAMESPACES} }
spec:
  template:
    metadata:
      labels: { app: ${app}, tier: t${Math.floor(r() * 4)}, id: w${i} }
    spec:
      containers:
        - name: main
          image: registry.example/${app}:1.${i % 9}
          ports:
            - { name: http, containerPort: ${8000 + (i % 50)} }
            - { name: metrics, containerPort: 9100 }`);
  }
  for (let p = 0; p < policies; p++) {
    const ns = p % NAMESPACES;
    const app = APPS[Math.floor(r() * APPS.length)]!;
    const peer = APPS[Math.floor(r() * APPS.length)]!;
    const kind = p % 5;
    const ingress =
      kind === 0
        ? '  ingress: []'
        : kind === 1
          ? `  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { team: t${p % 5} } }\n          podSelector: { matchLabels: { app: ${peer} } }\n      ports:\n        - { port: http }`
          : kind === 2
            ? `  ingress:\n    - from:\n        - ipBlock: { cidr: 10.${p}.0.0/16, except: [10.${p}.${p % 200}.0/24] }\n      ports:\n        - { port: 8000, endPort: 8100 }`
            : kind === 3
              ? `  ingress:\n    - from:\n        - podSelector: { matchExpressions: [{ key: tier, operator: In, values: [t1, t2] }] }`
              : `  egress:\n    - to:\n        - podSelector: { matchLabels: { app: ${peer} } }\n      ports:\n        - { port: metrics }\n    - to:\n        - ipBlock: { cidr: 172.${16 + (p % 16)}.0.0/16 }\n      ports:\n        - { protocol: UDP, port: 53 }`;
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: np-${p}, namespace: ns${ns} }
spec:
  podSelector: { matchLabels: { app: ${app} } }
  policyTypes: [${kind === 4 ? 'Egress' : 'Ingress'}]
${ingress}`);
  }
  return docs.join('\n---\n');
}

function parse(text: string): ReadResult {
  const out: ReadResult = { objects: [], errors: [], warnings: [], files: 1 };
  readText(text, 'cluster.yaml', out, 64 * 1024 * 1024);
  if (out.errors.length) throw new Error(out.errors[0]!.message);
  return out;
}

export async function benchNetpol(): Promise<BenchResult[]> {
  const text = clusterManifest();
  parse(text); // warm up the loader and JIT
  const t0 = performance.now();
  const read = parse(text);
  const parseMs = performance.now() - t0;
  const model = buildModel(read.objects);
  connectivity(buildModel(parse(clusterManifest(40, 20)).objects)); // warm up the engine
  const t1 = performance.now();
  const result = connectivity(model);
  const connMs = performance.now() - t1;
  const notes = `${model.workloads.length} workloads, ${model.policies.length} policies, ${result.connections.length} connections`;
  return [
    {
      name: 'netpol',
      metric: 'connectivity, 500 workloads / 200 policies (absolute bound 2 s)',
      value: connMs,
      ratio: connMs / 2000,
      target: 1,
      unit: 'ms',
      pass: connMs < 2000,
      notes,
    },
    {
      name: 'netpol',
      metric: 'connectivity / parsing the same manifests',
      value: connMs,
      baseline: parseMs,
      ratio: connMs / parseMs,
      target: 2,
      unit: 'ms',
      pass: connMs / parseMs <= 2,
      notes,
    },
  ];
}
