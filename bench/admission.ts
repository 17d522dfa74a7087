/**
 * `npm run bench -- admission`: the webhook under load, as the API server would call it. The real
 * `bulwark admission serve` runs in its own process (HTTPS, the example policy, the demo image's
 * report as facts, no registry) and autocannon sends AdmissionReviews at 1,000 per second for
 * 60 s (BULWARK_BENCH_SECONDS shortens it) after 5 s of the same load to reach a steady state,
 * alternating a denied Pod and an allowed Deployment.
 * Target: p99 under 5 ms with zero errors. The baseline is the same load against a bare
 * node:https server (same certificate, same keep-alive) that answers a fixed AdmissionReview:
 * what TLS and HTTP alone cost on this machine in this run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { runCli } from '../test/cli/helpers.js';
import { freePort } from '../test/registry/helpers.js';
import type { BenchResult } from './run.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DEMO = 'sha256:6ba11e91e80b6b6eccc53ca7adda064307f4b63c3c5216eb7817e25247c03086';

function review(object: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: '7f0b2891-916f-4ed6-b7cd-27bff1815a8c', namespace: 'shop', operation: 'CREATE', object },
  });
}

const BODIES = [
  review({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web' },
    spec: { containers: [{ name: 'web', image: `demo@${DEMO}` }] },
  }),
  review({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api' },
    spec: {
      template: {
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'api',
              image: `ghcr.io/acme/api@sha256:${'1'.repeat(64)}`,
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              resources: { limits: { memory: '256Mi' } },
            },
          ],
        },
      },
    },
  }),
];

async function load(url: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections: 10,
    overallRate: 1000,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: BODIES.map((body) => ({ method: 'POST', path: '/validate', body })),
  });
}

export async function benchAdmission(): Promise<BenchResult[]> {
  const seconds = Number(process.env.BULWARK_BENCH_SECONDS ?? 60);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-bench-adm-'));
  try {
    const certs = await runCli(['admission', 'certs', '--ip', '127.0.0.1', '-o', path.join(dir, 'certs')]);
    if (certs.code !== 0) throw new Error(certs.stderr);
    await mkdir(path.join(dir, 'facts'));
    const scan = await runCli(['image', '-f', 'json', '-o', path.join(dir, 'facts', 'demo.json')], {
      BULWARK_CACHE_DIR: path.join(dir, 'cache'),
    });
    if (scan.code !== 0) throw new Error(scan.stderr);
    const cert = await readFile(path.join(dir, 'certs', 'tls.crt'));
    const key = await readFile(path.join(dir, 'certs', 'tls.key'));

    // baseline: TLS + HTTP + a fixed answer
    const fixed = JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'x', allowed: true },
    });
    const bare = createServer({ cert, key }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(fixed),
        });
        res.end(fixed);
      });
    });
    const barePort = await freePort();
    await new Promise<void>((r) => bare.listen(barePort, '127.0.0.1', () => r()));
    // steady state, as a long-running webhook is: 5 s of the same load first (JIT, TLS sessions)
    await load(`https://127.0.0.1:${barePort}`, 5);
    const base = await load(`https://127.0.0.1:${barePort}`, Math.min(seconds, 10));
    await new Promise<void>((r) => bare.close(() => r()));

    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'test/cli/run-cli.ts'),
        'admission',
        'serve',
        '--listen',
        `127.0.0.1:${port}`,
        '--tls-cert',
        path.join(dir, 'certs', 'tls.crt'),
        '--tls-key',
        path.join(dir, 'certs', 'tls.key'),
        '--policy',
        path.join(ROOT, 'examples/policy/policy.yaml'),
        '--facts',
        path.join(dir, 'facts'),
        '--offline',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('webhook listening')) resolve();
      });
      child.on('exit', (c) => reject(new Error(`webhook exited ${c}: ${log}`)));
    });
    child.stderr.removeAllListeners('data');
    child.stderr.resume(); // denials are logged: keep the pipe drained
    let r: autocannon.Result;
    try {
      await load(`https://127.0.0.1:${port}`, 5);
      r = await load(`https://127.0.0.1:${port}`, seconds);
    } finally {
      child.kill('SIGTERM');
    }
    const errors = r.errors + r.timeouts + r.non2xx;
    const p99 = r.latency.p99;
    return [
      {
        name: 'admission',
        metric: `webhook p99 at ${Math.round(r.requests.average)} req/s for ${seconds} s (bound 5 ms, zero errors)`,
        value: p99,
        baseline: base.latency.p99,
        ratio: p99 / 5,
        target: 1,
        unit: 'ms',
        pass: p99 < 5 && errors === 0,
        notes: `p50 ${r.latency.p50} ms, p97.5 ${r.latency.p97_5} ms, max ${r.latency.max} ms, ${r.requests.total} requests, ${errors} errors; bare https p99 ${base.latency.p99} ms (ratio to it ${(p99 / Math.max(base.latency.p99, 1)).toFixed(2)})`,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
