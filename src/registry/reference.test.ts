import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BulwarkError } from '../core/errors.js';
import { parseReference } from './reference.js';

const D = `sha256:${'a'.repeat(64)}`;

test('normalises references like Docker', () => {
  const cases: [
    string,
    {
      domain: string;
      registry: string;
      repository: string;
      tag?: string;
      digest?: string;
      canonical: string;
    },
  ][] = [
    [
      'alpine',
      {
        domain: 'docker.io',
        registry: 'registry-1.docker.io',
        repository: 'library/alpine',
        tag: 'latest',
        canonical: 'docker.io/library/alpine:latest',
      },
    ],
    [
      'alpine:3.19',
      {
        domain: 'docker.io',
        registry: 'registry-1.docker.io',
        repository: 'library/alpine',
        tag: '3.19',
        canonical: 'docker.io/library/alpine:3.19',
      },
    ],
    [
      'bitnami/redis',
      {
        domain: 'docker.io',
        registry: 'registry-1.docker.io',
        repository: 'bitnami/redis',
        tag: 'latest',
        canonical: 'docker.io/bitnami/redis:latest',
      },
    ],
    [
      'index.docker.io/library/debian:12',
      {
        domain: 'docker.io',
        registry: 'registry-1.docker.io',
        repository: 'library/debian',
        tag: '12',
        canonical: 'docker.io/library/debian:12',
      },
    ],
    [
      'docker.io/nginx',
      {
        domain: 'docker.io',
        registry: 'registry-1.docker.io',
        repository: 'library/nginx',
        tag: 'latest',
        canonical: 'docker.io/library/nginx:latest',
      },
    ],
    [
      'host:5000/a/b:tag',
      {
        domain: 'host:5000',
        registry: 'host:5000',
        repository: 'a/b',
        tag: 'tag',
        canonical: 'host:5000/a/b:tag',
      },
    ],
    [
      'localhost/x',
      {
        domain: 'localhost',
        registry: 'localhost',
        repository: 'x',
        tag: 'latest',
        canonical: 'localhost/x:latest',
      },
    ],
    [
      `ghcr.io/o/r@${D}`,
      { domain: 'ghcr.io', registry: 'ghcr.io', repository: 'o/r', digest: D, canonical: `ghcr.io/o/r@${D}` },
    ],
    [
      `127.0.0.1:5000/o/r:v1@${D}`,
      {
        domain: '127.0.0.1:5000',
        registry: '127.0.0.1:5000',
        repository: 'o/r',
        tag: 'v1',
        digest: D,
        canonical: `127.0.0.1:5000/o/r:v1@${D}`,
      },
    ],
    [
      '[::1]:5000/a__b/c-d.e:1.0_x',
      {
        domain: '[::1]:5000',
        registry: '[::1]:5000',
        repository: 'a__b/c-d.e',
        tag: '1.0_x',
        canonical: '[::1]:5000/a__b/c-d.e:1.0_x',
      },
    ],
  ];
  for (const [input, want] of cases) {
    const r = parseReference(input);
    assert.deepEqual(
      {
        domain: r.domain,
        registry: r.registry,
        repository: r.repository,
        tag: r.tag,
        digest: r.digest,
        canonical: r.canonical,
      },
      { tag: undefined, digest: undefined, ...want },
      input,
    );
  }
});

test('rejects invalid references with USAGE', () => {
  for (const bad of [
    '',
    'Alpine',
    'alpine:',
    'a//b',
    'a/b:t@sha256:123',
    'x/UPPER:1',
    'foo@sha256:zz',
    'x:-bad',
    `a/${'b'.repeat(300)}`,
    'a b',
  ]) {
    assert.throws(
      () => parseReference(bad),
      (e: unknown) => e instanceof BulwarkError && e.code === 'USAGE',
      bad,
    );
  }
});
