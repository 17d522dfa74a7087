import { BulwarkError } from '../../core/errors.js';
import type { ParsedFile } from '../types.js';
import type { HostFacts } from './facts.js';

/** Host facts serialized as JSON (what `bulwark host --format json --facts` prints, and tests write). */
export function parseHostFacts(text: string, file: string): ParsedFile<HostFacts> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', `not valid JSON: ${(e as Error).message}`, { input: file });
  }
  if (!v || typeof v !== 'object' || Array.isArray(v) || !Array.isArray((v as HostFacts).files))
    throw new BulwarkError('MALFORMED_INPUT', 'not a host facts object (no files list)', { input: file });
  return { inputs: [{ input: v as HostFacts }] };
}
