import { BulwarkError } from '../core/errors.js';
import { MAX_FIELD, type VexWarning } from './types.js';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A bounded string field, or undefined when absent; a wrong type or an oversize value throws. */
export function str(o: Obj, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ItemError(`${where}: ${key} is not a string`);
  if (v.length > MAX_FIELD) throw new ItemError(`${where}: ${key} is longer than ${MAX_FIELD} characters`);
  return v;
}

/** An item-level problem: the statement is skipped with a warning, the document goes on. */
export class ItemError extends Error {}

export function arr(o: Obj, key: string, where: string, max: number): unknown[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ItemError(`${where}: ${key} is not an array`);
  if (v.length > max) throw new ItemError(`${where}: more than ${max} ${key}`);
  return v;
}

export function parseJson(text: string | Buffer, input: string, maxBytes: number): unknown {
  const size = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  if (size > maxBytes)
    throw new BulwarkError('LIMIT_EXCEEDED', `the VEX document is ${size} bytes, more than ${maxBytes}`, {
      input,
    });
  try {
    return JSON.parse(typeof text === 'string' ? text : text.toString('utf8'));
  } catch (e) {
    // a nesting bomb overflows the parser's stack: that is malformed input too, not a crash
    throw new BulwarkError('MALFORMED_INPUT', `the VEX document is not JSON: ${(e as Error).message}`, {
      input,
      cause: e,
    });
  }
}

export function warn(warnings: VexWarning[], code: string, message: string, input?: string) {
  // bounded: a document of a million bad statements does not make a million warnings
  if (warnings.length < 1000) warnings.push({ code, message, ...(input ? { input } : {}) });
}

export function iso(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}
