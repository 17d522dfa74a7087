export { evaluatePod, parsePssLevel, parsePssVersion } from './evaluate.js';
export { renderPssJson, renderPssTable } from './render.js';
export { checkPssPaths } from './scan.js';
export type { PssObjectResult, PssScanError, PssScanOptions, PssScanResult } from './scan.js';
export { activeChecks, LATEST_MINOR, overriddenBy, PSS_CHECKS } from './registry.js';
export type {
  EvaluateOptions,
  FieldPath,
  PodLike,
  PssCheck,
  PssLevel,
  PssResult,
  PssViolation,
} from './types.js';
