/**
 * The connection to a cluster's API server. Kubeconfig contexts, client certificates, tokens,
 * token files, exec and auth-provider plugins and the in-cluster service account are the
 * maintained client library's (@kubernetes/client-node's KubeConfig); the requests themselves go
 * through node:https with the options the library computes, because its generated API clients
 * read any response whole and unbounded, and a hostile API server must cost one namespace, not
 * the process (every response here is bounded in bytes, time and JSON depth).
 */
import { readFile, stat } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import type { KubeConfig as KubeConfigT } from '@kubernetes/client-node';
import { BulwarkError } from '../core/errors.js';

export interface InClusterOptions {
  /** KUBERNETES_SERVICE_HOST */
  host: string;
  /** KUBERNETES_SERVICE_PORT */
  port: string;
  /** folder with `token`, `ca.crt`, `namespace` (default /var/run/secrets/kubernetes.io/serviceaccount) */
  serviceAccountDir?: string;
}

export interface ConnectOptions {
  /** kubeconfig file; ignored with inCluster */
  kubeconfig?: string;
  /** context of the kubeconfig (default its current-context) */
  context?: string;
  /** use the pod's service account instead of a kubeconfig */
  inCluster?: InClusterOptions;
  /** per request, milliseconds (default 30 s) */
  timeoutMs?: number;
  /** largest response body, bytes (default 64 MiB) */
  maxResponseBytes?: number;
  /** deepest JSON nesting accepted (default 100; real objects stay under 30) */
  maxDepth?: number;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const MAX_KUBECONFIG_BYTES = 4 * 1024 * 1024;

export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface KubeConnection {
  /** the API server's URL */
  server: string;
  /** the context's name (`in-cluster` for a service account) */
  context: string;
  /** the context's (or service account's) namespace, when it names one */
  namespace?: string;
  /** GET a path; the body is parsed JSON (a Status for errors); network failures throw NETWORK */
  get(pathname: string, query?: Record<string, string | undefined>): Promise<ApiResponse>;
}

/** Nesting depth of a JSON text, strings skipped; stops counting once over `max`. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

async function loadConfig(
  opts: ConnectOptions,
): Promise<{ kc: KubeConfigT; context: string; namespace?: string }> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  if (opts.inCluster) {
    const dir = opts.inCluster.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
    const token = path.join(dir, 'token');
    const ca = path.join(dir, 'ca.crt');
    for (const f of [token, ca])
      await stat(f).catch(() => {
        throw new BulwarkError(
          'INPUT_NOT_FOUND',
          'the service account file is missing (not running in a pod?)',
          {
            input: f,
          },
        );
      });
    const { host, port } = opts.inCluster;
    const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    kc.loadFromClusterAndUser(
      { name: 'in-cluster', server: `https://${h}:${port}`, caFile: ca, skipTLSVerify: false },
      { name: 'service-account', authProvider: { name: 'tokenFile', config: { tokenFile: token } } },
    );
    const namespace = await readFile(path.join(dir, 'namespace'), 'utf8').then(
      (s) => s.trim() || undefined,
      () => undefined,
    );
    return { kc, context: 'in-cluster', ...(namespace ? { namespace } : {}) };
  }
  const file = opts.kubeconfig;
  if (!file)
    throw new BulwarkError('USAGE', 'no kubeconfig: give --kubeconfig, set KUBECONFIG, or run in a pod');
  const st = await stat(file).catch(() => {
    throw new BulwarkError('INPUT_NOT_FOUND', 'kubeconfig not found', { input: file });
  });
  if (st.size > MAX_KUBECONFIG_BYTES)
    throw new BulwarkError('LIMIT_EXCEEDED', `kubeconfig larger than ${MAX_KUBECONFIG_BYTES} bytes`, {
      input: file,
    });
  try {
    kc.loadFromFile(file);
  } catch (e) {
    throw new BulwarkError('CONFIG', `kubeconfig does not load: ${(e as Error).message}`, {
      input: file,
      cause: e,
    });
  }
  if (opts.context) {
    if (!kc.getContexts().some((c) => c.name === opts.context))
      throw new BulwarkError(
        'CONFIG',
        `no context "${opts.context}" in the kubeconfig (contexts: ${kc
          .getContexts()
          .map((c) => c.name)
          .join(', ')})`,
        { input: file },
      );
    kc.setCurrentContext(opts.context);
  }
  const name = kc.getCurrentContext();
  const ctx = kc.getContextObject(name);
  if (!ctx || !kc.getCurrentCluster())
    throw new BulwarkError('CONFIG', `the kubeconfig has no usable context${name ? ` "${name}"` : ''}`, {
      input: file,
    });
  return { kc, context: name, ...(ctx.namespace ? { namespace: ctx.namespace } : {}) };
}

export async function connectCluster(opts: ConnectOptions): Promise<KubeConnection> {
  const { kc, context, namespace } = await loadConfig(opts);
  const cluster = kc.getCurrentCluster()!;
  const server = cluster.server.replace(/\/+$/, '');
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw new BulwarkError('CONFIG', `the cluster's server is not a URL: ${server}`, { input: context });
  }
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxResponseBytes ?? 64 * 1024 * 1024;
  const maxDepth = opts.maxDepth ?? 100;

  const get = async (
    pathname: string,
    query: Record<string, string | undefined> = {},
  ): Promise<ApiResponse> => {
    const url = new URL(base.pathname.replace(/\/$/, '') + pathname, base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
    const reqOpts: https.RequestOptions = {};
    try {
      await kc.applyToHTTPSOptions(reqOpts);
    } catch (e) {
      throw new BulwarkError(
        'CONFIG',
        `credentials of context "${context}" cannot be used: ${(e as Error).message}`,
        {
          input: context,
          cause: e,
        },
      );
    }
    const what = `${server}${pathname}`;
    const text = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = https.request(url, {
        ...reqOpts,
        method: 'GET',
        headers: { ...(reqOpts.headers ?? {}), accept: 'application/json', 'user-agent': 'bulwark-k8s' },
        timeout: timeoutMs,
      });
      const timer = setTimeout(
        () => req.destroy(new BulwarkError('NETWORK', `no answer within ${timeoutMs} ms`, { input: what })),
        timeoutMs,
      );
      req.on('timeout', () =>
        req.destroy(new BulwarkError('NETWORK', `no answer within ${timeoutMs} ms`, { input: what })),
      );
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(
          e instanceof BulwarkError
            ? e
            : new BulwarkError('NETWORK', `cannot reach the API server: ${e.message}`, {
                input: what,
                cause: e,
              }),
        );
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            clearTimeout(timer);
            // rejected first, so the reset that follows cannot pass for a network failure
            reject(
              new BulwarkError('LIMIT_EXCEEDED', `response larger than ${maxBytes} bytes`, { input: what }),
            );
            req.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(
            e instanceof BulwarkError ? e : new BulwarkError('NETWORK', e.message, { input: what, cause: e }),
          );
        });
      });
      req.end();
    });
    if (jsonDepthExceeds(text.text, maxDepth))
      throw new BulwarkError('LIMIT_EXCEEDED', `JSON nested deeper than ${maxDepth} levels`, { input: what });
    let body: unknown;
    try {
      body = JSON.parse(text.text);
    } catch {
      if (text.status >= 400) body = { message: text.text.slice(0, 200) };
      else
        throw new BulwarkError('MALFORMED_INPUT', 'the API server answered with something that is not JSON', {
          input: what,
        });
    }
    return { status: text.status, body };
  };
  return { server, context, ...(namespace ? { namespace } : {}), get };
}
