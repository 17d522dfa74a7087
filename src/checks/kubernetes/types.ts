import type { ErrorCode } from '../../core/errors.js';
import type { Position } from '../types.js';
import type { FieldPath, PodLike } from '../pss/types.js';

export type { FieldPath };

/** One Kubernetes object from a manifest file (a `List`'s items are separate objects). */
export interface K8sObject {
  file: string;
  /** 0-based index of the YAML document in the file */
  document: number;
  /** where the object sits in its document: `[]`, or `['items', 3]` inside a List */
  basePath: FieldPath;
  apiVersion: string;
  kind: string;
  /** metadata.name, or metadata.generateName, or '' */
  name: string;
  /** metadata.namespace when set */
  namespace?: string;
  /** the object as plain JSON */
  object: Record<string, unknown>;
  /** path of the pod template inside the object (`['spec', 'template']`); `[]` for a Pod */
  podTemplatePath?: FieldPath;
  /** `Kind/name` for findings */
  label: string;
  /** source position of a field (path relative to the object); nearest existing ancestor otherwise */
  positionOf(path: FieldPath): Position;
}

export interface K8sDocumentError {
  /** 0-based document index */
  document: number;
  code: ErrorCode;
  message: string;
  line?: number;
  column?: number;
}

export interface K8sParseResult {
  objects: K8sObject[];
  errors: K8sDocumentError[];
}

export interface K8sParseOptions {
  /** largest file accepted, in bytes (default 8 MiB) */
  maxBytes?: number;
  /** most alias expansions per document (YAML bombs), default 100 */
  maxAliasCount?: number;
  /** deepest nesting accepted per document, default 200 */
  maxDepth?: number;
  /** most documents per file, default 10,000 */
  maxDocuments?: number;
  /** items of a typed list (`PodList`) without apiVersion/kind take the list's (kubectl's reading) */
  inferListItemKinds?: boolean;
}

export type { PodLike };
