/**
 * Byte-level helpers shared by the signing formats: Go-compatible JSON (cosign writes with Go's
 * encoding/json, so bytes only match when bulwark escapes and orders as Go does), strict base64,
 * PEM blocks, and bounded JSON parsing for hostile documents.
 */
import { BulwarkError } from '../core/errors.js';

const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON as Go's `json.Marshal` writes it: HTML-unsafe characters escaped, map keys sorted (objects
 * passed here must already list struct fields in Go's declaration order; `sortKeys` sorts maps).
 */
export function goJson(value: unknown): string {
  // The five characters only ever occur inside JSON strings, so a global replace is exact.
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!);
}

/** A shallow copy of a string map with its keys in Go's map order (sorted by bytes). */
export function sortKeys<T>(m: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(m).sort(compareBytes)) out[k] = m[k]!;
  return out;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** Standard base64 (as Go's StdEncoding), URL-safe accepted too (DSSE allows both); else throws. */
export function decodeBase64(text: string, what: string, input?: string): Buffer {
  const s = text.trim();
  if (BASE64.test(s)) return Buffer.from(s, 'base64');
  if (BASE64URL.test(s)) return Buffer.from(s, 'base64url');
  throw new BulwarkError('MALFORMED_INPUT', `${what} is not valid base64`, { input });
}

export interface PemBlock {
  type: string;
  headers: Record<string, string>;
  bytes: Buffer;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Every PEM block in a text, in order; headers (`Proc-Type: ...`) are kept apart from the body. */
export function parsePem(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const headers: Record<string, string> = {};
    const lines = m[2]!.split(/\r?\n/);
    const body: string[] = [];
    for (const line of lines) {
      const h = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (h && body.length === 0) headers[h[1]!] = h[2]!;
      else if (line.trim()) body.push(line.trim());
    }
    const b64 = body.join('');
    if (!BASE64.test(b64)) continue;
    out.push({ type: m[1]!, headers, bytes: Buffer.from(b64, 'base64') });
  }
  return out;
}

/** A PEM block as Go's `pem.Encode` writes it: 64-column lines, trailing newline. */
export function encodePem(type: string, bytes: Buffer): string {
  const b64 = bytes.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${type}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${type}-----\n`;
}

export interface JsonBounds {
  /** largest document, in bytes */
  maxBytes: number;
  /** deepest nesting of arrays and objects */
  maxDepth: number;
}

export const DEFAULT_JSON_BOUNDS: Readonly<JsonBounds> = Object.freeze({
  maxBytes: 4 * 1024 * 1024,
  maxDepth: 64,
});

/**
 * JSON.parse behind a size and nesting bound (a deeply nested "bundle" cannot exhaust the stack or
 * memory). The depth scan skips string contents, so brackets inside strings do not count.
 */
export function parseBoundedJson(
  text: string | Buffer,
  input: string,
  bounds: Partial<JsonBounds> = {},
): unknown {
  const { maxBytes, maxDepth } = { ...DEFAULT_JSON_BOUNDS, ...bounds };
  const size = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  if (size > maxBytes) {
    throw new BulwarkError('LIMIT_EXCEEDED', `JSON document of ${size} bytes exceeds ${maxBytes}`, { input });
  }
  const s = typeof text === 'string' ? text : text.toString('utf8');
  let depth = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) {
        throw new BulwarkError('LIMIT_EXCEEDED', `JSON nests deeper than ${maxDepth} levels`, { input });
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  try {
    return JSON.parse(s) as unknown;
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', `not valid JSON: ${(e as Error).message}`, { input, cause: e });
  }
}
