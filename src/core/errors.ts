/**
 * Typed errors. Every failure a user can meet is a BulwarkError with a stable `code`; the CLI maps
 * codes to exit codes and prints `error[CODE] input: message`, never a stack trace. Tests assert
 * codes, not message text.
 */
export const ERROR_CODES = {
  /** bad flags or arguments */
  USAGE: 2,
  /** configuration file or option invalid */
  CONFIG: 3,
  /** the named input (file, directory, image) does not exist or cannot be read */
  INPUT_NOT_FOUND: 4,
  /** an archive, layer or document is malformed (corrupt gzip/zstd, truncated tar, bad JSON) */
  MALFORMED_INPUT: 5,
  /** input tried to escape its root: `..` or absolute tar entries, symlinks leaving the image */
  PATH_TRAVERSAL: 6,
  /** input exceeded a size, ratio, count or depth bound (decompression bomb, huge manifest) */
  LIMIT_EXCEEDED: 7,
  /** content did not match its declared digest */
  DIGEST_MISMATCH: 8,
  /** registry refused our credentials (401/403) */
  REGISTRY_AUTH: 9,
  /** registry has no such repository, tag or blob (404) */
  REGISTRY_NOT_FOUND: 10,
  /** registry kept failing (429/5xx after retries, redirect loop, protocol violation) */
  REGISTRY_UNAVAILABLE: 11,
  /** network-level failure (connection refused, DNS, TLS, timeout) */
  NETWORK: 12,
  /** the vulnerability database is missing, corrupt or of an unknown schema */
  DATABASE: 13,
  /** a feed could not be fetched or parsed during `db update` */
  FEED: 14,
  /** the Docker daemon could not be reached or answered an error */
  DAEMON: 15,
  /** something not supported (media type, platform, format) */
  UNSUPPORTED: 16,
  /** a version the ecosystem's own tool rejects (`bulwark version compare`, where bulwark never guesses an order) */
  INVALID_VERSION: 17,
  /** a key could not be used: wrong password, unsupported type or size, no password available */
  KEY_INVALID: 20,
  /** the image (or blob) has no signatures or attestations at all (404 on the `.sig`/`.att` tag) */
  SIGNATURE_NOT_FOUND: 21,
  /** a signature's payload names another digest than the image's (a moved tag, a replayed signature) */
  SIGNATURE_DIGEST_MISMATCH: 22,
  /** a signature is malformed or does not verify over its payload (tampered payload, missing annotation) */
  SIGNATURE_INVALID: 23,
  /** a signature verifies, but with another key than the ones trusted */
  SIGNATURE_WRONG_KEY: 24,
  /** a signature verifies but lacks the annotations (`-a k=v`) that were required */
  SIGNATURE_ANNOTATION_MISMATCH: 25,
  /** the signing certificate was not valid at signing time */
  CERTIFICATE_EXPIRED: 26,
  /** the signing certificate does not chain to the given root, lacks code signing, or names another identity */
  CERTIFICATE_UNTRUSTED: 27,
  /** a bug: an invariant did not hold */
  INTERNAL: 70,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface BulwarkErrorOptions {
  /** the input the error is about: a file path, image reference, URL, or entry name */
  input?: string;
  cause?: unknown;
}

export class BulwarkError extends Error {
  readonly code: ErrorCode;
  readonly input: string | undefined;

  constructor(code: ErrorCode, message: string, options: BulwarkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BulwarkError';
    this.code = code;
    this.input = options.input;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code];
  }

  /** One line for humans: `error[CODE] input: message`. */
  toDisplayString(): string {
    return `error[${this.code}]${this.input ? ` ${this.input}:` : ''} ${this.message}`;
  }

  toJSON(): { code: ErrorCode; message: string; input?: string } {
    return { code: this.code, message: this.message, ...(this.input ? { input: this.input } : {}) };
  }
}

export function isBulwarkError(e: unknown): e is BulwarkError {
  return e instanceof BulwarkError;
}

/** Wraps anything thrown into a BulwarkError, keeping typed errors as they are. */
export function toBulwarkError(e: unknown, fallback: ErrorCode, input?: string): BulwarkError {
  if (e instanceof BulwarkError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new BulwarkError(fallback, message, { input, cause: e });
}
