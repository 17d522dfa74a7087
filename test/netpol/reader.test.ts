import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  buildModel,
  normalizeRef,
  parseReport,
  readResources,
  exploitProbability,
} from '../../src/netpol/index.js';

let dir: string;
const pod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec: { containers: [{ name: c, image: x }] }\n`;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-netpol-read-'));
  await mkdir(path.join(dir, 'deep', 'er'), { recursive: true });
  await writeFile(path.join(dir, 'a.yaml'), pod('a'));
  await writeFile(path.join(dir, 'deep', 'er', 'b.yml'), `${pod('b')}---\nkind: [\n---\n${pod('c')}`);
  await writeFile(path.join(dir, 'deep', 'notes.json'), '{"hello": "world"}');
  await writeFile(path.join(dir, 'deep', 'skip.txt'), pod('never'));
  await writeFile(
    path.join(dir, 'list.json'),
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'PodList',
      items: [{ metadata: { name: 'd', namespace: 'x' }, spec: { containers: [] } }],
    }),
  );
  await writeFile(path.join(dir, 'big.yaml'), `# ${'x'.repeat(2048)}\n${pod('big')}`);
  await writeFile(
    path.join(dir, 'bad-policy.yaml'),
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p }\nspec:\n  podSelector: {}\n  ingress:\n    - from: [{ ipBlock: { cidr: 10.0.0.0/33 } }]\n`,
  );
});
after(() => rm(dir, { recursive: true, force: true }));

describe('netpol resource reader', () => {
  it('reads folders recursively (manifest extensions only), typed lists and stdin; per-document errors and non-Kubernetes warnings', async () => {
    const r = await readResources([dir, '-'], {
      baseDir: dir,
      maxFileBytes: 1024,
      stdin: Readable.from([Buffer.from(pod('s'))]),
    });
    const names = r.objects.map((o) => o.name).sort();
    assert.deepEqual(names, ['a', 'b', 'c', 'd', 'p', 's']);
    assert.deepEqual(
      r.errors.map((e) => [e.file, e.code]),
      [
        ['big.yaml', 'LIMIT_EXCEEDED'],
        [path.join('deep', 'er', 'b.yml'), 'MALFORMED_INPUT'],
      ],
    );
    assert.match(r.errors[1]!.message, /^document 2 line \d+: /);
    assert.deepEqual(
      r.warnings.map((w) => w.file),
      [path.join('deep', 'notes.json')],
    );
    const m = buildModel(r.objects);
    assert.equal(m.errors.length, 1);
    assert.match(m.errors[0]!.message, /NetworkPolicy\/p.*invalid CIDR/);
    assert.deepEqual(m.workloads.map((w) => w.id).sort(), [
      'default/a[Pod]',
      'default/b[Pod]',
      'default/c[Pod]',
      'default/s[Pod]',
      'x/d[Pod]',
    ]);
  });

  it('bounds stdin and reports a missing path', async () => {
    const r = await readResources(['-', path.join(dir, 'nope')], {
      maxFileBytes: 16,
      stdin: Readable.from([Buffer.from(pod('s'))]),
    });
    assert.deepEqual(
      r.errors.map((e) => e.code),
      ['LIMIT_EXCEEDED', 'INPUT_NOT_FOUND'],
    );
  });
});

describe('netpol image reports', () => {
  it('normalises references as Docker resolves them', () => {
    assert.equal(normalizeRef('nginx'), 'docker.io/library/nginx:latest');
    assert.equal(normalizeRef('team/app:1'), 'docker.io/team/app:1');
    assert.equal(normalizeRef('localhost:5000/app'), 'localhost:5000/app:latest');
    assert.equal(normalizeRef('ghcr.io/o/app:2@sha256:' + 'a'.repeat(64)), 'ghcr.io/o/app:2');
  });

  it('reads target and findings, refuses other JSON, and combines EPSS and KEV', () => {
    const r = parseReport(
      JSON.stringify({
        target: {
          name: 'nginx:1.27',
          digest: 'sha256:' + 'b'.repeat(64),
          repoTags: [],
          repoDigests: ['nginx@sha256:' + 'c'.repeat(64)],
        },
        findings: [
          { id: 'A', epss: { score: 0.5 }, kev: null },
          { id: 'B', epss: null, kev: null },
        ],
      }),
      'r.json',
    );
    assert.deepEqual(r.refs, ['docker.io/library/nginx:1.27']);
    assert.deepEqual(r.digests, ['sha256:' + 'b'.repeat(64), 'sha256:' + 'c'.repeat(64)]);
    assert.equal(exploitProbability(r.findings), 0.5);
    assert.equal(exploitProbability([...r.findings, { epss: 0.01, kev: true }]), 1);
    assert.throws(() => parseReport('{"a":1}', 'x.json'), { code: 'MALFORMED_INPUT' });
    assert.throws(() => parseReport('nope', 'x.json'), { code: 'MALFORMED_INPUT' });
  });
});
