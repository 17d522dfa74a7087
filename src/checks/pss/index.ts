export { evaluatePod, parsePssLevel, parsePssVersion } from './evaluate.js';
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
