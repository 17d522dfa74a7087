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
