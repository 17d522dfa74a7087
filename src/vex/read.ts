/** Reads a VEX document of either format, told apart by its content. */
import { BulwarkError } from '../core/errors.js';
import { parseJson } from './common.js';
import { isCycloneDxVex, readCycloneDxVex } from './cyclonedx.js';
import { isOpenVex, readOpenVex } from './openvex.js';
import { DEFAULT_VEX_LIMITS, type VexDocument, type VexLimits } from './types.js';

/** Reads either format from text (its format told by its content); `input` names it in errors. */
export function parseVex(text: string | Buffer, input: string, limits: VexLimits = {}): VexDocument {
  const doc = parseJson(text, input, limits.maxBytes ?? DEFAULT_VEX_LIMITS.maxBytes);
  return readVex(doc, input, limits);
}

export function readVex(doc: unknown, input: string, limits: VexLimits = {}): VexDocument {
  if (isOpenVex(doc)) return readOpenVex(doc, input, limits);
  if (isCycloneDxVex(doc)) return readCycloneDxVex(doc, input, limits);
  throw new BulwarkError(
    'UNSUPPORTED',
    'not a VEX document this reads (OpenVEX @context, or a CycloneDX BOM with vulnerabilities)',
    { input },
  );
}
