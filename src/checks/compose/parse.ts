import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { aliasLimitOffset } from '../kubernetes/alias-limit.js';
import { BulwarkError } from '../../core/errors.js';

/**
 * docker-compose files (v2, v3, Compose Specification) as positioned trees: every value keeps the
 * line and column of its key and of itself, so rules report exactly. YAML aliases are capped
 * (billion-laughs) and nesting depth is bounded.
 */
export interface PNode {
  /** scalar value, or undefined for maps and sequences */
  value: unknown;
  line: number;
  column: number;
  /** position of the key this node is the value of */
  keyLine: number;
  keyColumn: number;
  map?: Map<string, PNode>;
  items?: PNode[];
}

export interface ComposeService {
  name: string;
  node: PNode;
}

export interface ComposeFile {
  services: ComposeService[];
}

const MAX_DEPTH = 64;
const MAX_ALIASES = 100;

export function parseCompose(text: string, file: string): ComposeFile {
  const lc = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false });
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', `invalid YAML: ${(e as Error).message}`, { input: file });
  }
  if (!Array.isArray(docs)) throw new BulwarkError('MALFORMED_INPUT', 'invalid YAML', { input: file });
  const services: ComposeService[] = [];
  for (const doc of docs) {
    if (doc.errors.length)
      throw new BulwarkError(
        'MALFORMED_INPUT',
        `invalid YAML: ${doc.errors[0]!.message.split('\n')[0]!.replace(/:\s*$/, '')}`,
        {
          input: file,
        },
      );
    // resolving aliases through toJS enforces maxAliasCount before we walk anything
    try {
      doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      // named at the alias that passed the limit, as for Kubernetes manifests
      const at = aliasLimitOffset(doc, MAX_ALIASES);
      const where =
        at === undefined ? '' : (({ line, col }) => ` at line ${line}, column ${col}`)(lc.linePos(at));
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `YAML alias expansion refused${where}: ${(e as Error).message}`,
        {
          input: file,
        },
      );
    }
    const root = convert(doc.contents, lc, 0, 0, file, 0, doc);
    const svc = root?.map?.get('services');
    for (const [name, node] of svc?.map ?? []) services.push({ name, node });
  }
  return { services };
}

function convert(
  n: unknown,
  lc: LineCounter,
  keyLine: number,
  keyColumn: number,
  file: string,
  depth: number,
  doc: { getIn?: unknown } & object,
): PNode | undefined {
  if (depth > MAX_DEPTH)
    throw new BulwarkError('LIMIT_EXCEEDED', `YAML nested deeper than ${MAX_DEPTH}`, { input: file });
  let node = n as Node | null | undefined;
  // an alias stands for its anchor's node
  if (isAlias(node)) node = node.resolve(doc as Parameters<typeof node.resolve>[0]) as Node | undefined;
  if (!node) return undefined;
  const off = node.range?.[0] ?? 0;
  const { line, col } = lc.linePos(off);
  const base = {
    line,
    column: col,
    keyLine: keyLine || line,
    keyColumn: keyColumn || col,
    value: undefined as unknown,
  };
  if (isScalar(node)) return { ...base, value: node.value };
  if (isMap(node)) {
    const map = new Map<string, PNode>();
    const merges: PNode[] = [];
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      const key = isScalar(k) ? String(k.value) : String(k);
      const kp = lc.linePos(k?.range?.[0] ?? off);
      const v = convert(pair.value, lc, kp.line, kp.col, file, depth + 1, doc);
      // `<<: *defaults` (YAML merge key), common in compose files to share service settings
      if (key === '<<' && v) merges.push(...(v.items ?? [v]));
      else
        map.set(
          key,
          v ?? { value: null, line: kp.line, column: kp.col, keyLine: kp.line, keyColumn: kp.col },
        );
    }
    // explicit keys win, then earlier merge sources over later ones; positions stay at the anchor
    for (const m of merges) for (const [k, v] of m.map ?? []) if (!map.has(k)) map.set(k, v);
    return { ...base, map };
  }
  if (isSeq(node)) {
    const items: PNode[] = [];
    for (const it of node.items) {
      const c = convert(it, lc, 0, 0, file, depth + 1, doc);
      if (c) items.push(c);
    }
    return { ...base, items };
  }
  return base;
}

/** The scalar strings of a list-or-map field (`environment`, `labels`) as `KEY=value` entries. */
export function entries(node: PNode | undefined): { key: string; value: string | undefined; node: PNode }[] {
  if (!node) return [];
  if (node.items)
    return node.items.map((it) => {
      const s = String(it.value ?? '');
      const eq = s.indexOf('=');
      return { key: eq < 0 ? s : s.slice(0, eq), value: eq < 0 ? undefined : s.slice(eq + 1), node: it };
    });
  return [...(node.map ?? [])].map(([key, v]) => ({
    key,
    value: v.value === null || v.value === undefined ? undefined : String(v.value),
    node: v,
  }));
}

/** Every `cap_add` entry of every service, the capability upper-cased without its `CAP_` prefix. */
export function addedCapabilities(
  cf: ComposeFile,
): { service: string; cap: string; line: number; column: number }[] {
  const out = [];
  for (const s of cf.services) {
    for (const it of s.node.map?.get('cap_add')?.items ?? []) {
      const cap = String(it.value).toUpperCase().replace(/^CAP_/, '');
      out.push({ service: s.name, cap, line: it.line, column: it.column });
    }
  }
  return out;
}

/** SYS_ADMIN and ALL: nearly root on the host, the capabilities compose/cap-sys-admin reports. */
export function isHostLevelCapability(cap: string): boolean {
  return cap === 'SYS_ADMIN' || cap === 'ALL';
}
