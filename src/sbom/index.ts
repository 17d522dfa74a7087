// Public surface of the SBOM module: writers (inventory -> CycloneDX 1.6 / SPDX 2.3 JSON) and the
// reader (CycloneDX 1.4-1.6 / SPDX 2.2-2.3 JSON -> inventory).
import type { Inventory } from '../core/types.js';
import { renderSpdxSbom } from './spdx.js';
import type { SbomFormat, SbomWriteOptions } from './types.js';

export { renderSpdxSbom } from './spdx.js';
export { parseSbom, readSbomFile, DEFAULT_MAX_SBOM_BYTES, type ReadSbomOptions } from './read.js';
export { packageFromPurl, type PurlPackage } from './purl-map.js';
export { canonicalize, uuidFromDigest, type CanonicalSbom, type GraphPackage } from './canonical.js';
export { isSpdxExpression, splitLicenses } from './license.js';
export { SBOM_FORMATS, type SbomFormat, type SbomWriteOptions } from './types.js';

/**
 * The CycloneDX writer is loaded on first use: the CycloneDX library takes about 150 ms of CPU to
 * load, which every scan paid before a single CycloneDX document was asked for.
 */
export async function renderSbom(
  inv: Inventory,
  format: SbomFormat,
  opts: SbomWriteOptions,
): Promise<string> {
  if (format === 'spdx-json') return renderSpdxSbom(inv, opts);
  const { renderCycloneDxSbom } = await import('./cyclonedx.js');
  return renderCycloneDxSbom(inv, opts);
}
