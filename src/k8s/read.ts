/**
 * Reads what `bulwark k8s` looks at: namespaces, every workload kind and NetworkPolicies, one
 * namespace at a time, each list paged through `limit`/`continue`. Reading per namespace (rather
 * than one cluster-wide list per kind) is what lets a namespace the account may not read (403), or
 * one whose answer is hostile (too large, too deep, the wrong kind), be reported and skipped while
 * the others are still checked, and it works for service accounts bound to some namespaces only.
 */
import { BulwarkError, toBulwarkError, type ErrorCode } from '../core/errors.js';
import type { ApiResponse, KubeConnection } from './connect.js';

export interface ResourceKind {
  /** plural resource name (`deployments`) */
  resource: string;
  /** API path prefix */
  group: string;
  apiVersion: string;
  kind: string;
}

/**
 * The kinds read in each namespace, in the order they are read: the workloads, then what the
 * netpol engine needs to see who can reach them (policies, Services, Ingresses).
 */
export const WORKLOAD_RESOURCES: readonly ResourceKind[] = [
  { resource: 'pods', group: '/api/v1', apiVersion: 'v1', kind: 'Pod' },
  { resource: 'deployments', group: '/apis/apps/v1', apiVersion: 'apps/v1', kind: 'Deployment' },
  { resource: 'daemonsets', group: '/apis/apps/v1', apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { resource: 'statefulsets', group: '/apis/apps/v1', apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { resource: 'replicasets', group: '/apis/apps/v1', apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  { resource: 'jobs', group: '/apis/batch/v1', apiVersion: 'batch/v1', kind: 'Job' },
  { resource: 'cronjobs', group: '/apis/batch/v1', apiVersion: 'batch/v1', kind: 'CronJob' },
  {
    resource: 'networkpolicies',
    group: '/apis/networking.k8s.io/v1',
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
  },
  { resource: 'services', group: '/api/v1', apiVersion: 'v1', kind: 'Service' },
  {
    resource: 'ingresses',
    group: '/apis/networking.k8s.io/v1',
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
  },
];

/** Read whole: a label selector narrows the workloads, not what reaches them. */
const UNFILTERED = new Set(['NetworkPolicy', 'Service', 'Ingress']);

const NAMESPACES: ResourceKind = {
  resource: 'namespaces',
  group: '/api/v1',
  apiVersion: 'v1',
  kind: 'Namespace',
};

export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string };
};

export interface ReadIssue {
  namespace?: string;
  resource?: string;
  code: ErrorCode;
  message: string;
}

export interface NamespaceRead {
  name: string;
  /** the Namespace object (labels select it in NetworkPolicies); absent when it could not be listed */
  object?: KubeObject;
  /** every object read, in list order per kind; empty when `error` is set */
  objects: KubeObject[];
  /** why the namespace was not read: it is reported and not evaluated (partial data would mislead) */
  error?: ReadIssue;
  warnings: string[];
}

export interface ClusterRead {
  namespaces: NamespaceRead[];
  /** problems not tied to one namespace (the namespace list) */
  warnings: string[];
  /** API requests made */
  requests: number;
}

export interface ReadOptions {
  /** only these namespaces (default every namespace the API lists) */
  namespaces?: readonly string[];
  /** label selector for workloads (`app=web,tier!=db`); NetworkPolicies, Services, Ingresses and namespaces are read whole */
  labelSelector?: string;
  /** items per page (`limit`), default 500 as kubectl */
  chunkSize?: number;
  /** most objects per list across its pages (default 100,000) */
  maxItems?: number;
  /** namespaces read at once (default 4) */
  concurrency?: number;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function statusMessage(r: ApiResponse): string {
  const b = r.body;
  return isObj(b) && typeof b.message === 'string' ? b.message.slice(0, 500) : `HTTP ${r.status}`;
}

/** Maps an API answer that is not 200 to the error a user can act on. */
function apiError(r: ApiResponse, where: string): BulwarkError {
  const msg = statusMessage(r);
  if (r.status === 401)
    return new BulwarkError('CONFIG', `the API server rejected the credentials (401 Unauthorized): ${msg}`, {
      input: where,
    });
  if (r.status === 403)
    return new BulwarkError('INPUT_NOT_FOUND', `forbidden (403): ${msg}`, { input: where });
  if (r.status === 404)
    return new BulwarkError('INPUT_NOT_FOUND', `not served (404): ${msg}`, { input: where });
  return new BulwarkError('NETWORK', `the API server answered ${r.status}: ${msg}`, { input: where });
}

/** Every item of one list, through its pages; items get the apiVersion and kind the API leaves out. */
export async function listAll(
  conn: KubeConnection,
  kind: ResourceKind,
  namespace: string | undefined,
  opts: ReadOptions & { selector?: string } = {},
): Promise<{ items: KubeObject[]; requests: number; skipped: number }> {
  const pathname = `${kind.group}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${kind.resource}`;
  const where = `${conn.server}${pathname}`;
  const maxItems = opts.maxItems ?? 100_000;
  const items: KubeObject[] = [];
  let skipped = 0;
  let cont: string | undefined;
  let requests = 0;
  const seen = new Set<string>();
  let expired = false;
  let fullList = false;
  for (;;) {
    const r = await conn.get(pathname, {
      limit: fullList ? undefined : String(opts.chunkSize ?? 500),
      continue: cont,
      labelSelector: opts.selector,
    });
    requests++;
    // an expired continue token (410 Gone): as client-go's pager, list again in one piece
    if (r.status === 410 && cont && !expired) {
      expired = true;
      items.length = 0;
      skipped = 0;
      cont = undefined;
      fullList = true;
      continue;
    }
    if (r.status !== 200) throw apiError(r, where);
    const b = r.body;
    const listKind = `${kind.kind}List`;
    if (!isObj(b) || b.kind !== listKind)
      throw new BulwarkError(
        'MALFORMED_INPUT',
        `expected a ${listKind}, got ${isObj(b) && typeof b.kind === 'string' ? `a ${b.kind.slice(0, 60)}` : 'something else'}`,
        { input: where },
      );
    if (!Array.isArray(b.items))
      throw new BulwarkError('MALFORMED_INPUT', `the ${listKind} has no items array`, { input: where });
    if (items.length + b.items.length > maxItems)
      throw new BulwarkError('LIMIT_EXCEEDED', `more than ${maxItems} ${kind.resource} in one list`, {
        input: where,
      });
    for (const it of b.items) {
      const meta = isObj(it) ? it.metadata : undefined;
      // one malformed item is skipped, not the list
      if (!isObj(it) || !isObj(meta) || typeof meta.name !== 'string' || !meta.name) {
        skipped++;
        continue;
      }
      items.push({
        ...it,
        apiVersion: kind.apiVersion,
        kind: kind.kind,
        metadata: meta as KubeObject['metadata'],
      });
    }
    const meta = isObj(b.metadata) ? b.metadata : {};
    cont = typeof meta.continue === 'string' && meta.continue ? meta.continue : undefined;
    // a server that hands out the same token again would page forever
    if (cont) {
      if (seen.has(cont))
        throw new BulwarkError('MALFORMED_INPUT', 'the API server repeated a continue token', {
          input: where,
        });
      seen.add(cont);
    }
    if (!cont) break;
  }
  return { items, requests, skipped };
}

async function mapLimit<T, R>(list: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      out[i] = await fn(list[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
  return out;
}

/** Reads the namespaces and, in each, every workload kind and NetworkPolicy. A 401 aborts. */
export async function readCluster(conn: KubeConnection, opts: ReadOptions = {}): Promise<ClusterRead> {
  const warnings: string[] = [];
  let requests = 0;
  let nsObjects: KubeObject[] | undefined;
  try {
    const r = await listAll(conn, NAMESPACES, undefined, opts);
    requests += r.requests;
    nsObjects = r.items;
  } catch (e) {
    const err = toBulwarkError(e, 'NETWORK', conn.server);
    // without the namespace list, named namespaces can still be read (namespace-scoped accounts)
    if (err.code === 'CONFIG' || !opts.namespaces?.length) throw err;
    warnings.push(`namespaces cannot be listed (${err.message}); reading the named namespaces only`);
  }
  const byName = new Map((nsObjects ?? []).map((n) => [n.metadata.name, n]));
  const names = opts.namespaces?.length ? [...new Set(opts.namespaces)] : [...byName.keys()];
  names.sort();
  const namespaces = await mapLimit(names, opts.concurrency ?? 4, async (name): Promise<NamespaceRead> => {
    const read: NamespaceRead = { name, objects: [], warnings: [] };
    const object = byName.get(name);
    if (object) read.object = object;
    else if (nsObjects) {
      read.error = { namespace: name, code: 'INPUT_NOT_FOUND', message: 'no such namespace' };
      return read;
    }
    const objects: KubeObject[] = [];
    for (const kind of WORKLOAD_RESOURCES) {
      try {
        const selector = UNFILTERED.has(kind.kind) ? undefined : opts.labelSelector;
        const r = await listAll(conn, kind, name, { ...opts, ...(selector ? { selector } : {}) });
        requests += r.requests;
        if (r.skipped) read.warnings.push(`${r.skipped} ${kind.resource} without metadata.name skipped`);
        objects.push(...r.items);
      } catch (e) {
        const err = toBulwarkError(e, 'NETWORK', name);
        if (err.code === 'CONFIG') throw err;
        read.error = { namespace: name, resource: kind.resource, code: err.code, message: err.message };
        return read;
      }
    }
    read.objects = objects;
    return read;
  });
  return { namespaces, warnings, requests };
}
