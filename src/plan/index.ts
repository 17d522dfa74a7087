/** Risk, explained, and patch plans: one engine for `bulwark plan` and the server. */
export { commandKind, shellQuote, upgradeCommand, type UpgradeTarget } from './commands.js';
export { databaseOracle } from './db-oracle.js';
export {
  BASE_DIGEST_ANNOTATION,
  BASE_NAME_ANNOTATION,
  decideBase,
  layerOrigin,
  NO_BASE,
  sharedPrefix,
  type BaseCandidate,
} from './layers.js';
export {
  patchPlan,
  planGroups,
  reportOracle,
  type FixOracle,
  type FixProbe,
  type PatchPlan,
  type PlanGroup,
  type PlanOptions,
  type PlanStep,
  type Unfixable,
} from './patch.js';
export { DEFAULT_MAX_REPORT_BYTES, planInputOf, readPlanInput, type ReadLimits } from './report.js';
export {
  exploitP,
  findingKey,
  imageRisk,
  openFindings,
  probabilityOf,
  type Contributor,
  type ImageRisk,
  type RiskOptions,
} from './risk.js';
export type {
  BaseEvidence,
  IsOpen,
  LayerOrigin,
  PlanFinding,
  PlanInput,
  PlanLayer,
  PlanPackage,
} from './types.js';
export { baseBump, type BaseBump, type BumpCandidate } from './base-bump.js';
export { planDocument, renderPlanMarkdown, renderPlanTable, type PlanDocument } from './render.js';
