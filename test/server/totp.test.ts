import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Secret } from 'otpauth';
import { hashRecoveryCode, newRecoveryCodes, totpCode, verifyTotp } from '../../src/server/auth/totp.js';

// RFC 6238 Appendix B: seeds are ASCII digits repeated to the hash's key length; 8-digit codes.
const SEEDS = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
} as const;
const VECTORS: [number, string, keyof typeof SEEDS][] = [
  [59, '94287082', 'SHA1'],
  [59, '46119246', 'SHA256'],
  [59, '90693936', 'SHA512'],
  [1111111109, '07081804', 'SHA1'],
  [1111111109, '68084774', 'SHA256'],
  [1111111109, '25091201', 'SHA512'],
  [1111111111, '14050471', 'SHA1'],
  [1111111111, '67062674', 'SHA256'],
  [1111111111, '99943326', 'SHA512'],
  [1234567890, '89005924', 'SHA1'],
  [1234567890, '91819424', 'SHA256'],
  [1234567890, '93441116', 'SHA512'],
  [2000000000, '69279037', 'SHA1'],
  [2000000000, '90698825', 'SHA256'],
  [2000000000, '38618901', 'SHA512'],
  [20000000000, '65353130', 'SHA1'],
  [20000000000, '77737706', 'SHA256'],
  [20000000000, '47863826', 'SHA512'],
];

describe('TOTP (RFC 6238)', () => {
  for (const [t, code, algorithm] of VECTORS) {
    it(`T=${t} ${algorithm} → ${code}`, () => {
      const secret = Secret.fromLatin1(SEEDS[algorithm]);
      const p = { algorithm, digits: 8 } as const;
      assert.equal(totpCode(secret, t * 1000, p), code);
      const step = verifyTotp(secret, code, t * 1000, 0, p);
      assert.equal(step, Math.floor(t / 30));
      // the same code again (its step already used) is a replay
      assert.equal(verifyTotp(secret, code, t * 1000, step!, p), null);
      // one digit off is wrong
      const off = `${code.slice(0, 7)}${(Number(code[7]) + 1) % 10}`;
      assert.equal(verifyTotp(secret, off, t * 1000, 0, p), null);
    });
  }

  it('accepts one step of clock drift either side, not two', () => {
    const secret = Secret.fromLatin1(SEEDS.SHA1);
    const t = 1234567890_000;
    for (const drift of [-30_000, 30_000])
      assert.notEqual(verifyTotp(secret, totpCode(secret, t + drift), t, 0), null);
    for (const drift of [-60_000, 60_000])
      assert.equal(verifyTotp(secret, totpCode(secret, t + drift), t, 0), null);
    assert.equal(verifyTotp(secret, 'abcdef', t, 0), null);
    assert.equal(verifyTotp(secret, '', t, 0), null);
  });

  it('makes distinct recovery codes and stores only their hashes', () => {
    const { codes, hashes } = newRecoveryCodes();
    assert.equal(new Set(codes).size, 10);
    assert.deepEqual(hashes, codes.map(hashRecoveryCode));
    assert.ok(hashes.every((h, i) => !h.includes(codes[i]!)));
  });
});
