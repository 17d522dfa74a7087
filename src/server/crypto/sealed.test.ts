import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { BulwarkError } from '../../core/errors.js';
import { parseSecretKey, secretBox, secretBoxFromEnv } from './sealed.js';

describe('sealed secrets', () => {
  const key = randomBytes(32);
  const box = secretBox(key);

  it('round-trips and never stores the plaintext', () => {
    const s = box.seal('hunter2-registry-password', 'registry:1');
    assert.ok(!s.includes('hunter2'), s);
    assert.match(s, /^v1:[\w-]+:[\w-]+:[\w-]+$/);
    assert.equal(box.open(s, 'registry:1'), 'hunter2-registry-password');
    assert.notEqual(box.seal('x', 'p'), box.seal('x', 'p'), 'a fresh IV each time');
  });

  it('refuses another purpose, another key and a tampered value', () => {
    const s = box.seal('secret', 'webhook:3');
    assert.throws(
      () => box.open(s, 'registry:3'),
      (e: unknown) => e instanceof BulwarkError && e.code === 'KEY_INVALID',
    );
    assert.throws(
      () => secretBox(randomBytes(32)).open(s, 'webhook:3'),
      (e: unknown) => e instanceof BulwarkError && e.code === 'KEY_INVALID',
    );
    const parts = s.split(':');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    assert.throws(
      () => box.open(parts.join(':'), 'webhook:3'),
      (e: unknown) => e instanceof BulwarkError && e.code === 'KEY_INVALID',
    );
    assert.throws(
      () => box.open('plain', 'webhook:3'),
      (e: unknown) => e instanceof BulwarkError && e.code === 'MALFORMED_INPUT',
    );
  });

  it('reads the key as hex or base64 and refuses other lengths', () => {
    assert.deepEqual(parseSecretKey(key.toString('hex')), key);
    assert.deepEqual(parseSecretKey(key.toString('base64')), key);
    assert.throws(
      () => parseSecretKey('abcd'),
      (e: unknown) => e instanceof BulwarkError && e.code === 'CONFIG',
    );
    assert.equal(secretBoxFromEnv({}), undefined);
    const b = secretBoxFromEnv({ BULWARK_SECRET_KEY: key.toString('hex') })!;
    assert.equal(b.open(box.seal('v', 'p'), 'p'), 'v');
  });
});
