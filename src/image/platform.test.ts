import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostPlatform, parsePlatform, selectPlatform, type Platform } from './platform.js';

const list: Partial<Platform>[] = [
  { os: 'linux', architecture: 'arm', variant: 'v7' },
  { os: 'linux', architecture: 'arm', variant: 'v6' },
  { os: 'linux', architecture: 'arm64' },
  { os: 'unknown', architecture: 'unknown' },
];
const pick = (requested?: string, from = list) => selectPlatform(from, (p) => p, requested, 'test');

describe('selectPlatform', () => {
  it('matches the requested platform, preferring an exact variant', () => {
    assert.deepEqual(pick('linux/arm/v6'), list[1]);
    assert.deepEqual(pick('linux/arm'), list[0]);
    // arm64 images usually omit v8
    assert.deepEqual(pick('linux/arm64/v8'), list[2]);
    assert.throws(() => pick('linux/arm/v5'), { code: 'UNSUPPORTED' });
    assert.throws(() => pick('linux'), { code: 'USAGE' });
  });

  it('defaults to linux/amd64, then the host, then the only image', () => {
    const amd = { os: 'linux', architecture: 'amd64' };
    assert.deepEqual(pick(undefined, [...list, amd]), amd);
    const only = [{ os: 'linux', architecture: 's390x' }];
    assert.deepEqual(pick(undefined, only), only[0]);
    const host = hostPlatform();
    assert.deepEqual(pick(undefined, [{ os: 'linux', architecture: 'riscv64' }, host]), host);
    assert.throws(
      () =>
        pick(undefined, [
          { os: 'linux', architecture: 'riscv64' },
          { os: 'linux', architecture: 'mips' },
        ]),
      {
        code: 'UNSUPPORTED',
      },
    );
  });

  it('maps Node architectures to OCI names', () => {
    assert.deepEqual(hostPlatform('x64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(hostPlatform('ia32'), { os: 'linux', architecture: '386' });
    assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
  });
});
