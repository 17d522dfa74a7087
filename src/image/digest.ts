import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { BulwarkError } from '../core/errors.js';

const DIGEST_RE = /^(sha256|sha512):([a-f0-9]+)$/;
const HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };

/** Splits and validates `alg:hex`; anything else could be used to build paths or fool comparisons. */
export function parseDigest(digest: string, input?: string): { algorithm: string; hex: string } {
  const m = DIGEST_RE.exec(digest);
  if (!m || m[2]!.length !== HEX_LENGTH[m[1]!]) {
    throw new BulwarkError('MALFORMED_INPUT', `invalid digest ${JSON.stringify(digest)}`, {
      input: input ?? digest,
    });
  }
  return { algorithm: m[1]!, hex: m[2]! };
}

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Throws DIGEST_MISMATCH unless `data` hashes to `expected`. */
export function verifyBuffer(data: Buffer, expected: string, input: string): void {
  const { algorithm, hex } = parseDigest(expected, input);
  const actual = createHash(algorithm).update(data).digest('hex');
  if (actual !== hex) {
    throw new BulwarkError('DIGEST_MISMATCH', `content is ${algorithm}:${actual}, expected ${expected}`, {
      input,
    });
  }
}

/**
 * Pass-through that hashes what flows and fails at its end when the bytes were not `expected`:
 * sources pipe every layer blob through one, so a wrong blob can never be cached or trusted.
 */
export class VerifyingStream extends Transform {
  private readonly hash: Hash;
  private readonly hex: string;
  private readonly algorithm: string;

  constructor(
    private readonly expected: string,
    private readonly input: string,
  ) {
    super({ highWaterMark: 1024 * 1024 });
    const { algorithm, hex } = parseDigest(expected, input);
    this.algorithm = algorithm;
    this.hex = hex;
    this.hash = createHash(algorithm);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    const actual = this.hash.digest('hex');
    if (actual === this.hex) cb();
    else
      cb(
        new BulwarkError(
          'DIGEST_MISMATCH',
          `blob is ${this.algorithm}:${actual}, expected ${this.expected}`,
          { input: this.input },
        ),
      );
  }
}

/** Wraps a raw blob stream so it errors with DIGEST_MISMATCH at its end when the bytes are wrong. */
export function verifyStream(raw: Readable, expected: string, input: string): Readable {
  const v = new VerifyingStream(expected, input);
  raw.on('error', (e) => v.destroy(e));
  return raw.pipe(v);
}

/** Reads a whole stream, refusing more than `max` bytes (manifests, configs, small files). */
export async function readBounded(stream: Readable, max: number, input: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > max) {
        throw new BulwarkError('LIMIT_EXCEEDED', `larger than the limit of ${max} bytes`, { input });
      }
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, total);
}

/** Parses JSON from an untrusted document, mapping syntax errors to MALFORMED_INPUT. */
export function parseJson(data: Buffer | string, input: string): unknown {
  try {
    return JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', `not valid JSON: ${(e as Error).message}`, { input, cause: e });
  }
}
