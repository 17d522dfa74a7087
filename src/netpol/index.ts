export { readResources, readText, RELEVANT_KINDS } from './resources.js';
export type { ReadIssue, ReadOptions, ReadResult } from './resources.js';
export { buildModel, NS_NAME_LABEL } from './model.js';
export type { Model, Workload, Policy, Service, IngressObject, Namespace } from './model.js';
export {
  connectivity,
  Engine,
  externalId,
  INGRESS_CONTROLLER,
  INGRESS_CONTROLLER_NS,
  cmp,
} from './engine.js';
export type { Connection, Connectivity, FocusOptions } from './engine.js';
export { ingressConnections } from './ingress.js';
export {
  CONNLIST_FORMATS,
  renderCsv,
  renderDot,
  renderJson,
  renderMd,
  renderTxt,
  rows,
  csvField,
  mdCell,
} from './format.js';
export type { ConnlistFormat, Row } from './format.js';
export { diffConnections, renderDiff, DIFF_FORMATS } from './diff.js';
export type { DiffEntry, DiffFormat } from './diff.js';
export { renderConnlistHtml } from './html.js';
export { analyze, netpolInputs } from './analysis.js';
export type { Analysis, NetpolInput, NetpolSubject } from './analysis.js';
export { exposures } from './exposure.js';
export type { ExposurePath, ExposureKind } from './exposure.js';
export { netpolFindings } from './findings.js';
export {
  attackPaths,
  exploitProbability,
  normalizeRef,
  parseReport,
  readReports,
  renderAttackPaths,
} from './vulns.js';
export type { AttackPaths, ImageVulns, LateralPath, RankedWorkload } from './vulns.js';
