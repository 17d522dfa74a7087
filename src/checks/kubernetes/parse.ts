import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { BulwarkError } from '../../core/errors.js';
import { aliasLimitOffset } from './alias-limit.js';
import type { Position } from '../types.js';
import type { FieldPath, K8sDocumentError, K8sObject, K8sParseOptions, K8sParseResult } from './types.js';
import { podTemplatePathOf } from './workloads.js';

// CRD schemas nest deeply (properties -> x -> properties ...), so the depth bound is generous
const DEFAULTS = { maxBytes: 8 * 1024 * 1024, maxAliasCount: 100, maxDepth: 200, maxDocuments: 10_000 };

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** True when a parsed value nests deeper than `max`; recursion stops at `max`, so it is bounded. */
function depthExceeds(value: unknown, max: number, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth >= max) return true;
  if (Array.isArray(value)) {
    for (const x of value) if (depthExceeds(x, max, depth + 1)) return true;
  } else for (const k in value) if (depthExceeds((value as Json)[k], max, depth + 1)) return true;
  return false;
}

function nodeAt(doc: Document, path: FieldPath): { node: YamlNode | undefined; keyNode?: YamlNode } {
  let node = doc.contents as YamlNode | null | undefined;
  let keyNode: YamlNode | undefined;
  for (const step of path) {
    if (!node) return { node: undefined };
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step),
      );
      if (!pair) return { node: undefined };
      keyNode = pair.key as YamlNode;
      node = (pair.value as YamlNode | null) ?? undefined;
      // a key with no value (`securityContext:`) still has a position: its key
      if (!node) return { node: keyNode, keyNode };
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as YamlNode | undefined;
      if (!item) return { node: undefined };
      node = item;
      keyNode = undefined;
    } else return { node: undefined };
  }
  return { node: node ?? undefined, keyNode };
}

function makePositionOf(doc: Document, lc: LineCounter, basePath: FieldPath): (path: FieldPath) => Position {
  return (path) => {
    const full = [...basePath, ...path];
    for (let n = full.length; n >= 0; n--) {
      const { node, keyNode } = nodeAt(doc, full.slice(0, n));
      const target = keyNode ?? node;
      const range = target?.range;
      if (range) {
        const start = lc.linePos(range[0]);
        const end = lc.linePos((node?.range ?? range)[1]);
        return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
      }
    }
    return { line: 1, column: 1 };
  };
}

function objectOf(
  value: Json,
  file: string,
  document: number,
  basePath: FieldPath,
  positionOf: (p: FieldPath) => Position,
): K8sObject | undefined {
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '')
    return undefined;
  const meta = isObj(value.metadata) ? value.metadata : {};
  const name =
    typeof meta.name === 'string'
      ? meta.name
      : typeof meta.generateName === 'string'
        ? meta.generateName
        : '';
  const podTemplatePath = podTemplatePathOf(kind);
  return {
    file,
    document,
    basePath,
    apiVersion,
    kind,
    name,
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
    object: value,
    ...(podTemplatePath ? { podTemplatePath } : {}),
    label: `${kind}/${name}`,
    positionOf: (p) => positionOf([...basePath, ...p]),
  };
}

/**
 * Parses a Kubernetes manifest file: multi-document YAML or JSON, `List` kinds expanded into
 * their items. Documents that are not Kubernetes objects (no apiVersion/kind) are ignored; a
 * broken document becomes an entry in `errors` and the others are still returned. Throws
 * LIMIT_EXCEEDED only for a file too large to look at.
 */
export function parseKubernetesFile(
  text: string,
  fileName: string,
  options: K8sParseOptions = {},
): K8sParseResult {
  const o = { ...DEFAULTS, ...options };
  if (Buffer.byteLength(text, 'utf8') > o.maxBytes)
    throw new BulwarkError('LIMIT_EXCEEDED', `manifest larger than ${o.maxBytes} bytes`, { input: fileName });
  const lc = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      lineCounter: lc,
      prettyErrors: false,
      uniqueKeys: false,
    }) as Document.Parsed[];
  } catch (e) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `manifest too deeply nested to parse (${(e as Error).message})`,
      {
        input: fileName,
        cause: e,
      },
    );
  }
  if (!Array.isArray(docs)) docs = [];
  const objects: K8sObject[] = [];
  const errors: K8sDocumentError[] = [];
  if (docs.length > o.maxDocuments)
    throw new BulwarkError('LIMIT_EXCEEDED', `more than ${o.maxDocuments} YAML documents`, {
      input: fileName,
    });
  docs.forEach((doc, i) => {
    const fail = (code: K8sDocumentError['code'], message: string, offset?: number) => {
      const pos = offset === undefined ? undefined : lc.linePos(offset);
      errors.push({ document: i, code, message, ...(pos ? { line: pos.line, column: pos.col } : {}) });
    };
    const first = doc.errors[0];
    if (first) return fail('MALFORMED_INPUT', first.message.split('\n')[0] ?? 'invalid YAML', first.pos[0]);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: o.maxAliasCount });
    } catch (e) {
      const alias = e instanceof ReferenceError && /alias/i.test(e.message);
      const deep = e instanceof RangeError;
      // an alias bomb is reported at the alias that passed the limit, not at the document's start
      const at = alias ? (aliasLimitOffset(doc, o.maxAliasCount) ?? doc.range[0]) : doc.range[0];
      return fail(alias || deep ? 'LIMIT_EXCEEDED' : 'MALFORMED_INPUT', (e as Error).message, at);
    }
    if (value === null || value === undefined) return;
    if (depthExceeds(value, o.maxDepth))
      return fail('LIMIT_EXCEEDED', `document nested deeper than ${o.maxDepth} levels`, doc.range[0]);
    if (!isObj(value)) return;
    const positionOf = makePositionOf(doc, lc, []);
    const kind = value.kind;
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item, j) => {
        if (!isObj(item)) return;
        // `kubectl get pods -o json` items carry no kind: a PodList's items are Pods
        const typed =
          o.inferListItemKinds && kind !== 'List' && item.kind === undefined && item.apiVersion === undefined
            ? { apiVersion: value.apiVersion, kind: kind.slice(0, -'List'.length), ...item }
            : item;
        const obj = objectOf(typed, fileName, i, ['items', j], positionOf);
        if (obj) objects.push(obj);
      });
      return;
    }
    const obj = objectOf(value, fileName, i, [], positionOf);
    if (obj) objects.push(obj);
  });
  return { objects, errors };
}

/** Decodes bytes as UTF-8, refusing invalid sequences (MALFORMED_INPUT) instead of guessing. */
export function decodeManifest(bytes: Uint8Array, fileName: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', 'file is not valid UTF-8', { input: fileName, cause: e });
  }
}
