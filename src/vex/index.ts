/** VEX documents (OpenVEX 0.2.0, CycloneDX 1.6 VEX): read, write, and match to findings. */

export * from './types.js';
export { parseVex, readVex } from './read.js';
export { readOpenVex, writeOpenVex, OPENVEX_CONTEXT, type WriteVexOptions } from './openvex.js';
export { readCycloneDxVex, writeCycloneDxVex } from './cyclonedx.js';
export { ociPurl, ociTarget, isOciPurl, purlBase, purlNoQualifiers } from './purl.js';

export { vexFor, vexReason, type SourcedStatement, type VexFindingRef, type VexTarget } from './match.js';
export { loadVex, type LoadVexOptions } from './load.js';
