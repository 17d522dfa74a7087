import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChallenges } from './challenge.js';

test('parses a Docker Hub bearer challenge with a scope holding commas', () => {
  const [c, ...rest] = parseChallenges(
    'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
  );
  assert.equal(rest.length, 0);
  assert.deepEqual(c, {
    scheme: 'bearer',
    params: {
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
      scope: 'repository:samalba/my-app:pull,push',
    },
  });
});

test('parses basic, unquoted values and several challenges in one header', () => {
  const cs = parseChallenges('Basic realm="Registry Realm", Bearer realm=https://a/token, service=reg');
  assert.deepEqual(cs, [
    { scheme: 'basic', params: { realm: 'Registry Realm' } },
    { scheme: 'bearer', params: { realm: 'https://a/token', service: 'reg' } },
  ]);
});

test('handles escaped quotes, arrays of headers and empty input', () => {
  assert.deepEqual(parseChallenges(['Basic realm="a \\"b\\""', 'Bearer realm="x"']), [
    { scheme: 'basic', params: { realm: 'a "b"' } },
    { scheme: 'bearer', params: { realm: 'x' } },
  ]);
  assert.deepEqual(parseChallenges(undefined), []);
  assert.deepEqual(parseChallenges(''), []);
});
