import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BulwarkError } from '../core/errors.js';
import { selectPlatform } from './platform.js';
import type { Descriptor } from './schemas.js';

function d(n: string, os: string, architecture: string, variant?: string): Descriptor {
  return {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${n.repeat(64)}`,
    size: 1,
    platform: { os, architecture, ...(variant ? { variant } : {}) },
  };
}
const list = [
  d('a', 'linux', 'arm', 'v7'),
  d('b', 'linux', 'arm64', 'v8'),
  d('c', 'linux', 'amd64'),
  d('e', 'unknown', 'unknown'),
];

test('picks the requested platform, with variants', () => {
  assert.equal(selectPlatform(list, { platform: 'linux/arm64', input: 'x' }).digest, list[1]!.digest);
  assert.equal(selectPlatform(list, { platform: 'linux/arm64/v8', input: 'x' }).digest, list[1]!.digest);
  assert.equal(selectPlatform(list, { platform: 'linux/arm/v7', input: 'x' }).digest, list[0]!.digest);
});

test('defaults to linux/amd64, then the host platform', () => {
  assert.equal(selectPlatform(list, { input: 'x' }).digest, list[2]!.digest);
  const armOnly = [list[0]!, list[1]!];
  assert.equal(
    selectPlatform(armOnly, { host: { platform: 'darwin', arch: 'arm64' }, input: 'x' }).digest,
    list[1]!.digest,
  );
});

test('no match is UNSUPPORTED and lists the platforms available', () => {
  assert.throws(
    () => selectPlatform(list, { platform: 'linux/s390x', input: 'x' }),
    (e: unknown) =>
      e instanceof BulwarkError &&
      e.code === 'UNSUPPORTED' &&
      e.message.includes('linux/arm/v7, linux/arm64/v8, linux/amd64'),
  );
  assert.throws(
    () => selectPlatform([list[0]!], { host: { platform: 'linux', arch: 'x64' }, input: 'x' }),
    (e: unknown) => e instanceof BulwarkError && e.code === 'UNSUPPORTED',
  );
  assert.throws(
    () => selectPlatform(list, { platform: 'linux', input: 'x' }),
    (e: unknown) => e instanceof BulwarkError && e.code === 'USAGE',
  );
});
