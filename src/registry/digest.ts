import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BulwarkError } from '../core/errors.js';

const ALGORITHMS: Record<string, string> = { sha256: 'sha256', sha512: 'sha512' };

export function algorithmOf(digest: string, input: string): string {
  const alg = ALGORITHMS[digest.split(':')[0] ?? ''];
  if (!alg) throw new BulwarkError('UNSUPPORTED', `unsupported digest algorithm in ${digest}`, { input });
  return alg;
}

export function digestOf(data: Buffer, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/** Throws DIGEST_MISMATCH when `data` does not hash to `expected`. */
export function verifyDigest(data: Buffer, expected: string, input: string): void {
  const actual = digestOf(data, algorithmOf(expected, input));
  if (actual !== expected) {
    throw new BulwarkError('DIGEST_MISMATCH', `content hashes to ${actual}, expected ${expected}`, { input });
  }
}

/**
 * Passes bytes through while hashing them. More bytes than `size` fail at once (LIMIT_EXCEEDED);
 * a wrong digest or short body fails at the end (DIGEST_MISMATCH), before the consumer sees 'end'.
 */
export function verifyingStream(expected: string, size: number | undefined, input: string): Transform {
  const hash = createHash(algorithmOf(expected, input));
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      seen += chunk.length;
      if (size !== undefined && seen > size) {
        cb(new BulwarkError('LIMIT_EXCEEDED', `blob is larger than its declared ${size} bytes`, { input }));
        return;
      }
      hash.update(chunk);
      cb(null, chunk);
    },
    flush(cb: TransformCallback) {
      const actual = `${expected.split(':')[0]}:${hash.digest('hex')}`;
      if (actual !== expected) {
        cb(new BulwarkError('DIGEST_MISMATCH', `blob hashes to ${actual}, expected ${expected}`, { input }));
      } else if (size !== undefined && seen !== size) {
        cb(new BulwarkError('DIGEST_MISMATCH', `blob has ${seen} bytes, declared ${size}`, { input }));
      } else cb();
    },
  });
}
