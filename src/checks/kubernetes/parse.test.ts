import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBulwarkError } from '../../core/errors.js';
import { decodeManifest, parseKubernetesFile, podOf } from './index.js';

const multi = `# a comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            privileged: true
---
just: some config
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly }
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{ name: job, image: busybox }]
`;

describe('parseKubernetesFile', () => {
  it('reads multi-document YAML, skips non-Kubernetes documents, finds pod templates', () => {
    const { objects, errors } = parseKubernetesFile(multi, 'm.yaml');
    assert.deepEqual(errors, []);
    assert.deepEqual(
      objects.map((o) => [o.document, o.kind, o.name, o.namespace, o.podTemplatePath]),
      [
        [0, 'Deployment', 'web', 'shop', ['spec', 'template']],
        [2, 'CronJob', 'nightly', undefined, ['spec', 'jobTemplate', 'spec', 'template']],
      ],
    );
    assert.equal(podOf(objects[1]!)?.spec?.containers instanceof Array, true);
  });

  it('gives line and column of any field, falling back to the nearest ancestor', () => {
    const [web, cron] = parseKubernetesFile(multi, 'm.yaml').objects;
    const p = ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'];
    assert.deepEqual(
      { line: web!.positionOf(p).line, column: web!.positionOf(p).column },
      { line: 14, column: 13 },
    );
    assert.equal(web!.positionOf(['spec', 'template', 'spec', 'containers', 0]).line, 11);
    assert.equal(web!.positionOf(['spec', 'template', 'spec', 'containers', 0, 'nope', 'deeper']).line, 11);
    assert.equal(web!.positionOf([]).line, 2);
    const job = cron!.positionOf([
      'spec',
      'jobTemplate',
      'spec',
      'template',
      'spec',
      'containers',
      0,
      'image',
    ]);
    assert.deepEqual([job.line, job.column], [27, 37]);
  });

  it('expands List items with positions inside the list', () => {
    const text = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [] } },
          { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b' }, spec: { type: 'NodePort' } },
        ],
      },
      null,
      2,
    );
    const { objects, errors } = parseKubernetesFile(text, 'list.json');
    assert.deepEqual(errors, []);
    assert.deepEqual(
      objects.map((o) => [o.kind, o.name, o.basePath]),
      [
        ['Pod', 'a', ['items', 0]],
        ['Service', 'b', ['items', 1]],
      ],
    );
    assert.equal(objects[1]!.positionOf(['spec', 'type']).line, 22);
    assert.deepEqual(objects[0]!.podTemplatePath, []);
  });

  it('reports a broken document and still returns the others', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\n---\nkind: [unclosed\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n';
    const { objects, errors } = parseKubernetesFile(text, 'x.yaml');
    assert.deepEqual(
      objects.map((o) => o.label),
      ['Pod/ok', 'Service/s'],
    );
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.document, 1);
    assert.equal(errors[0]!.code, 'MALFORMED_INPUT');
    assert.ok((errors[0]!.line ?? 0) >= 5);
  });

  it('refuses alias bombs per document, bounded', () => {
    const bomb = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: bomb}',
      'data:',
      '  a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      '  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      '  f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    const { objects, errors } = parseKubernetesFile(
      `${bomb}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n`,
      'b.yaml',
    );
    assert.deepEqual(
      objects.map((o) => o.label),
      ['Pod/p'],
    );
    assert.deepEqual(
      errors.map((e) => [e.document, e.code]),
      [[0, 'LIMIT_EXCEEDED']],
    );
    // at the alias that passed the limit (the 9th *b: 10 uses of b x 11 expansions each > 100),
    // not at line 1
    assert.deepEqual([errors[0]!.line, errors[0]!.column], [7, 34]);
    // in a later document, still at the alias
    const later = parseKubernetesFile(
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n---\n${bomb}\n`,
      'b.yaml',
    );
    assert.deepEqual(
      later.errors.map((e) => [e.document, e.code, e.line, e.column]),
      [[1, 'LIMIT_EXCEEDED', 11, 34]],
    );
  });

  it('refuses deep nesting and huge files', () => {
    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const r = parseKubernetesFile(deep, 'deep.yaml');
    assert.equal(r.objects.length, 0);
    assert.equal(r.errors.length, 1);
    assert.throws(
      () => parseKubernetesFile('a: b\n'.repeat(100), 'big.yaml', { maxBytes: 100 }),
      (e) => isBulwarkError(e) && e.code === 'LIMIT_EXCEEDED',
    );
  });

  it('rejects invalid UTF-8', () => {
    assert.throws(
      () => decodeManifest(Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]), 'bad.yaml'),
      (e) => isBulwarkError(e) && e.code === 'MALFORMED_INPUT',
    );
    assert.equal(decodeManifest(Buffer.from('kind: Pod\n'), 'ok.yaml'), 'kind: Pod\n');
  });
});
