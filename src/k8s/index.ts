export { connectCluster, jsonDepthExceeds, SERVICE_ACCOUNT_DIR } from './connect.js';
export type { ConnectOptions, InClusterOptions, KubeConnection, ApiResponse } from './connect.js';
export { readCluster, listAll, WORKLOAD_RESOURCES } from './read.js';
export type { ClusterRead, NamespaceRead, ReadIssue, ReadOptions, KubeObject, ResourceKind } from './read.js';
export { selectWorkloads, runningDigests, imageKey, digestOfImageId, controllerOf } from './workloads.js';
export { checkCluster, factsFromReports, namespaceFile } from './cluster.js';
export type {
  ClusterCheckOptions,
  ClusterCheckResult,
  ImageResult,
  NamespaceResult,
  WorkloadResult,
} from './cluster.js';
export {
  K8S_FORMATS,
  k8sSummary,
  renderK8sHtml,
  renderK8sJson,
  renderK8sSarif,
  renderK8sTable,
} from './render.js';
export type { K8sFormat, K8sRenderOptions } from './render.js';
export { readImageReports } from './reports.js';
export type { ImageReportsRead } from './reports.js';
