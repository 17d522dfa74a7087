export { decodeManifest, parseKubernetesFile } from './parse.js';
export { podOf, valueAt } from './pod.js';
export { POD_TEMPLATE_PATHS, podTemplatePathOf } from './workloads.js';
export type { FieldPath, K8sDocumentError, K8sObject, K8sParseOptions, K8sParseResult } from './types.js';
