import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { BulwarkError } from '../core/errors.js';
import { resolveLimits, type Limits } from '../core/limits.js';
import { parseChallenges, type Challenge } from './challenge.js';
import { CredentialStore, type Credential } from './credentials.js';
import { digestOf, verifyDigest, verifyingStream } from './digest.js';
import {
  drain,
  header,
  isConnectionReset,
  isLoopbackHost,
  readBody,
  send,
  type RawResponse,
} from './http.js';
import {
  MANIFEST_ACCEPT,
  MEDIA_TYPES,
  isImageManifestMediaType,
  isIndexMediaType,
  isSchema1MediaType,
} from './media-types.js';
import type { HostPlatform } from './platform.js';
import { isDigest, parseReference, type ImageReference } from './reference.js';
import { indexSchema, tagListSchema, tokenResponseSchema, type Descriptor } from './schemas.js';

export interface RetrySettings {
  /** total attempts per request, first one included */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** give up early rather than wait longer than this in total (also caps Retry-After) */
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY: Readonly<RetrySettings> = Object.freeze({
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxTotalWaitMs: 30_000,
});

export interface RegistryClientOptions {
  limits?: Partial<Limits>;
  /** Docker `config.json` to read credentials from; the CLI passes `$DOCKER_CONFIG/config.json` or `~/.docker/config.json` */
  dockerConfigPath?: string;
  /** environment for credential helpers (their PATH) */
  env?: Record<string, string | undefined>;
  /** allow plain HTTP to non-loopback registries */
  insecure?: boolean;
  retry?: Partial<RetrySettings>;
  /** `os/arch[/variant]` to pick from an index; default linux/amd64, then the host's */
  platform?: string;
  /** `process.platform` / `process.arch` of the caller, the fallback platform */
  hostPlatform?: HostPlatform;
  credentialHelperTimeoutMs?: number;
  userAgent?: string;
  /** credentials from elsewhere than a Docker config (the server's sealed store); wins over dockerConfigPath */
  credentials?: Pick<CredentialStore, 'get'>;
}

/** A repository on a registry; an ImageReference or a string such as `host:5000/a/b` works too. */
export type RepositoryLike = string | Pick<ImageReference, 'registry' | 'repository' | 'name'>;

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  body: Buffer;
  json: Record<string, unknown>;
}

interface RequestSpec {
  repo: Pick<ImageReference, 'registry' | 'repository' | 'name'>;
  method: string;
  /** `/v2/...` on the registry, or an absolute URL the registry handed out (upload locations) */
  path: string;
  push?: boolean;
  headers?: Record<string, string>;
  body?: Buffer;
  /** error input for failures */
  input: string;
  /** statuses handed back to the caller instead of thrown */
  allow?: number[];
}

interface CachedAuth {
  header: string;
  expires: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function toRepo(r: RepositoryLike): Pick<ImageReference, 'registry' | 'repository' | 'name'> {
  if (typeof r !== 'string') return r;
  const ref = parseReference(r);
  return { registry: ref.registry, repository: ref.repository, name: ref.name };
}

function basicHeader(c: Credential): string {
  return `Basic ${Buffer.from(`${c.username ?? ''}:${c.password ?? ''}`).toString('base64')}`;
}

/**
 * OCI distribution client: manifests, blobs, tags, referrers and push, with Docker-compatible
 * auth, retries and redirect handling. Close it to release pooled connections.
 */
export class RegistryClient {
  readonly limits: Limits;
  readonly retry: RetrySettings;
  readonly platform: string | undefined;
  readonly hostPlatform: HostPlatform | undefined;
  private readonly insecure: boolean;
  private readonly credentials: Pick<CredentialStore, 'get'>;
  private readonly userAgent: string;
  private readonly agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 8 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 8 }),
    // Loopback and --insecure registries: TLS without certificate checks, as Docker does.
    httpsUnverified: new https.Agent({ keepAlive: true, maxSockets: 8, rejectUnauthorized: false }),
  };
  private readonly endpoints = new Map<string, Promise<URL>>();
  private readonly pendingAuth = new Map<string, Promise<void>>();
  private readonly auth = new Map<string, CachedAuth>();
  /** registries that answered with a Basic challenge: every request there carries credentials */
  private readonly basic = new Map<string, string>();

  constructor(opts: RegistryClientOptions = {}) {
    this.limits = resolveLimits(opts.limits);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.platform = opts.platform;
    this.hostPlatform = opts.hostPlatform;
    this.insecure = opts.insecure ?? false;
    this.userAgent = opts.userAgent ?? 'bulwark';
    this.credentials =
      opts.credentials ??
      new CredentialStore({
        dockerConfigPath: opts.dockerConfigPath,
        env: opts.env,
        helperTimeoutMs: opts.credentialHelperTimeoutMs,
      });
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
    this.agents.httpsUnverified.destroy();
  }

  /** Loopback registries and every registry when `insecure` is set may skip TLS checks or TLS. */
  isInsecureRegistry(registry: string): boolean {
    return this.insecure || isLoopbackHost(new URL(`http://${registry}`).hostname);
  }

  /**
   * `https://host` for every registry; for loopback and insecure ones HTTPS (unverified) is tried
   * first and plain HTTP used when the registry does not speak TLS, as Docker does.
   */
  baseUrl(registry: string): Promise<URL> {
    const secure = new URL(`https://${registry}`);
    if (!this.isInsecureRegistry(registry)) return Promise.resolve(secure);
    let p = this.endpoints.get(registry);
    if (!p) {
      p = (async () => {
        try {
          const res = await send({
            method: 'GET',
            url: new URL('/v2/', secure),
            headers: { 'user-agent': this.userAgent },
            timeoutMs: this.limits.httpTimeoutMs,
            agent: this.agents.httpsUnverified,
          });
          drain(res);
          return secure;
        } catch {
          return new URL(`http://${registry}`);
        }
      })();
      this.endpoints.set(registry, p);
    }
    return p;
  }

  private agentFor(url: URL): http.Agent | https.Agent {
    if (url.protocol !== 'https:') return this.agents.http;
    // Only the registry itself is exempt from certificate checks, never blob storage it redirects to.
    const exempt = isLoopbackHost(url.hostname) || (this.insecure && this.endpoints.has(url.host));
    return exempt ? this.agents.httpsUnverified : this.agents.https;
  }

  // ---- reading -------------------------------------------------------------------------------

  /**
   * Fetches a manifest or index by tag or digest. Bounded by maxManifestBytes, verified against
   * the digest asked for and the `Docker-Content-Digest` header. UNSUPPORTED for schema1.
   */
  async getManifest(repoLike: RepositoryLike, reference: string): Promise<FetchedManifest> {
    const repo = toRepo(repoLike);
    const input = `${repo.name}${isDigest(reference) ? '@' : ':'}${reference}`;
    const res = await this.request({
      repo,
      method: 'GET',
      path: `/v2/${repo.repository}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      input,
    });
    const body = await readBody(res, this.limits.maxManifestBytes, input);
    if (isDigest(reference)) verifyDigest(body, reference, input);
    const announced = header(res, 'docker-content-digest');
    if (announced && isDigest(announced)) verifyDigest(body, announced, input);
    const digest = isDigest(reference) ? reference : digestOf(body);

    let json: Record<string, unknown>;
    try {
      json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new BulwarkError('MALFORMED_INPUT', 'manifest is not valid JSON', { input });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new BulwarkError('MALFORMED_INPUT', 'manifest is not a JSON object', { input });
    }
    const contentType = (header(res, 'content-type') ?? '').split(';')[0]!.trim();
    let mediaType = typeof json.mediaType === 'string' ? json.mediaType : contentType;
    if (isSchema1MediaType(mediaType) || isSchema1MediaType(contentType) || json.schemaVersion === 1) {
      throw new BulwarkError(
        'UNSUPPORTED',
        'Docker schema1 manifests are not supported; push the image again',
        { input },
      );
    }
    if (!isIndexMediaType(mediaType) && !isImageManifestMediaType(mediaType)) {
      // OCI allows mediaType to be absent; the shape tells which kind it is.
      if (Array.isArray(json.manifests)) mediaType = MEDIA_TYPES.ociIndex;
      else if (json.config && Array.isArray(json.layers)) mediaType = MEDIA_TYPES.ociManifest;
      else throw new BulwarkError('UNSUPPORTED', `unsupported manifest media type "${mediaType}"`, { input });
    }
    return { digest, mediaType, body, json };
  }

  /** A whole small blob (an image config), bounded by maxManifestBytes and digest-verified. */
  async getBlobBuffer(repoLike: RepositoryLike, desc: Pick<Descriptor, 'digest' | 'size'>): Promise<Buffer> {
    const repo = toRepo(repoLike);
    const input = `${repo.name}@${desc.digest}`;
    if (desc.size > this.limits.maxManifestBytes) {
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `blob of ${desc.size} bytes exceeds ${this.limits.maxManifestBytes}`,
        { input },
      );
    }
    const res = await this.request({
      repo,
      method: 'GET',
      path: `/v2/${repo.repository}/blobs/${desc.digest}`,
      input,
    });
    const body = await readBody(res, Math.min(desc.size, this.limits.maxManifestBytes), input);
    verifyDigest(body, desc.digest, input);
    return body;
  }

  /**
   * Streams a blob, hashing as it goes: the stream errors with DIGEST_MISMATCH at its end when the
   * bytes are wrong, LIMIT_EXCEEDED as soon as it grows past `size`, NETWORK when it stalls.
   */
  async openBlob(repoLike: RepositoryLike, desc: Pick<Descriptor, 'digest' | 'size'>): Promise<Readable> {
    const repo = toRepo(repoLike);
    const input = `${repo.name}@${desc.digest}`;
    const res = await this.request({
      repo,
      method: 'GET',
      path: `/v2/${repo.repository}/blobs/${desc.digest}`,
      input,
    });
    const declared = Number(header(res, 'content-length'));
    if (Number.isFinite(declared) && declared > desc.size) {
      res.body.destroy();
      throw new BulwarkError('LIMIT_EXCEEDED', `blob is ${declared} bytes, manifest declares ${desc.size}`, {
        input,
      });
    }
    const out = verifyingStream(desc.digest, desc.size, input);
    res.body.on('error', (e) => {
      out.destroy(
        e instanceof BulwarkError
          ? e
          : new BulwarkError('NETWORK', `blob download failed: ${e.message}`, { input, cause: e }),
      );
    });
    out.on('close', () => {
      if (!res.body.readableEnded) res.body.destroy();
    });
    res.body.pipe(out);
    return out;
  }

  async blobExists(repoLike: RepositoryLike, digest: string): Promise<boolean> {
    const repo = toRepo(repoLike);
    const res = await this.request({
      repo,
      method: 'HEAD',
      path: `/v2/${repo.repository}/blobs/${digest}`,
      input: `${repo.name}@${digest}`,
      allow: [404],
    });
    drain(res);
    return res.status === 200;
  }

  /** Every tag of a repository, following `Link` pagination. */
  async listTags(repoLike: RepositoryLike, opts: { pageSize?: number } = {}): Promise<string[]> {
    const repo = toRepo(repoLike);
    const tags: string[] = [];
    let path: string | undefined =
      `/v2/${repo.repository}/tags/list${opts.pageSize ? `?n=${opts.pageSize}` : ''}`;
    for (let page = 0; path && page < 1000; page++) {
      const res = await this.request({ repo, method: 'GET', path, input: repo.name });
      const body = await readBody(res, this.limits.maxManifestBytes, repo.name);
      const parsed = tagListSchema.safeParse(safeJson(body));
      if (!parsed.success)
        throw new BulwarkError('MALFORMED_INPUT', 'tag list is not valid', { input: repo.name });
      tags.push(...(parsed.data.tags ?? []));
      const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(header(res, 'link') ?? '');
      path = next?.[1];
    }
    return tags;
  }

  /**
   * Manifests that name `digest` as their subject: the referrers API, else the
   * `sha256-<hex>` tag schema registries without the API use.
   */
  async referrers(
    repoLike: RepositoryLike,
    digest: string,
    opts: { artifactType?: string } = {},
  ): Promise<Descriptor[]> {
    const repo = toRepo(repoLike);
    const input = `${repo.name}@${digest}`;
    const query = opts.artifactType ? `?artifactType=${encodeURIComponent(opts.artifactType)}` : '';
    const res = await this.request({
      repo,
      method: 'GET',
      path: `/v2/${repo.repository}/referrers/${digest}${query}`,
      headers: { accept: MEDIA_TYPES.ociIndex },
      input,
      allow: [400, 404, 405],
    });
    let manifests: Descriptor[];
    if (res.status === 200) {
      const parsed = indexSchema.safeParse(
        safeJson(await readBody(res, this.limits.maxManifestBytes, input)),
      );
      if (!parsed.success)
        throw new BulwarkError('MALFORMED_INPUT', 'referrers answer is not an OCI index', { input });
      manifests = parsed.data.manifests;
    } else {
      drain(res);
      const fallbackTag = digest.replace(':', '-');
      let fetched: FetchedManifest;
      try {
        fetched = await this.getManifest(repo, fallbackTag);
      } catch (e) {
        if (e instanceof BulwarkError && e.code === 'REGISTRY_NOT_FOUND') return [];
        throw e;
      }
      const parsed = indexSchema.safeParse(fetched.json);
      if (!parsed.success)
        throw new BulwarkError('MALFORMED_INPUT', 'referrers tag is not an OCI index', { input });
      manifests = parsed.data.manifests;
    }
    return opts.artifactType ? manifests.filter((m) => m.artifactType === opts.artifactType) : manifests;
  }

  // ---- writing -------------------------------------------------------------------------------

  /** Uploads a blob (monolithic upload) unless the registry already has it. */
  async pushBlob(repoLike: RepositoryLike, data: Buffer): Promise<{ digest: string; size: number }> {
    const repo = toRepo(repoLike);
    const digest = digestOf(data);
    const input = `${repo.name}@${digest}`;
    if (await this.blobExists(repo, digest)) return { digest, size: data.length };
    const start = await this.request({
      repo,
      method: 'POST',
      path: `/v2/${repo.repository}/blobs/uploads/`,
      push: true,
      input,
    });
    drain(start);
    const location = header(start, 'location');
    if (start.status !== 202 || !location) {
      throw new BulwarkError(
        'REGISTRY_UNAVAILABLE',
        `upload start answered ${start.status} without a Location`,
        { input },
      );
    }
    const url = new URL(location, await this.baseUrl(repo.registry));
    url.searchParams.set('digest', digest);
    const done = await this.request({
      repo,
      method: 'PUT',
      path: url.href,
      push: true,
      headers: { 'content-type': 'application/octet-stream' },
      body: data,
      input,
    });
    drain(done);
    if (done.status !== 201 && done.status !== 204) {
      throw new BulwarkError('REGISTRY_UNAVAILABLE', `blob upload answered ${done.status}`, { input });
    }
    return { digest, size: data.length };
  }

  /** Puts a manifest or index under a tag (or its digest) and returns its digest. */
  async pushManifest(
    repoLike: RepositoryLike,
    reference: string,
    body: Buffer,
    mediaType: string,
  ): Promise<string> {
    const repo = toRepo(repoLike);
    const digest = digestOf(body);
    const input = `${repo.name}:${reference}`;
    if (isDigest(reference) && reference !== digest) {
      throw new BulwarkError('DIGEST_MISMATCH', `manifest hashes to ${digest}, not ${reference}`, { input });
    }
    const res = await this.request({
      repo,
      method: 'PUT',
      path: `/v2/${repo.repository}/manifests/${reference}`,
      push: true,
      headers: { 'content-type': mediaType },
      body,
      input,
    });
    drain(res);
    if (res.status !== 201 && res.status !== 200) {
      throw new BulwarkError('REGISTRY_UNAVAILABLE', `manifest upload answered ${res.status}`, { input });
    }
    const announced = header(res, 'docker-content-digest');
    if (announced && announced !== digest) {
      throw new BulwarkError('DIGEST_MISMATCH', `registry stored ${announced}, expected ${digest}`, {
        input,
      });
    }
    return digest;
  }

  // ---- transport -----------------------------------------------------------------------------

  private async request(spec: RequestSpec): Promise<RawResponse> {
    const scope = `repository:${spec.repo.repository}:${spec.push ? 'pull,push' : 'pull'}`;
    const url = spec.path.startsWith('/')
      ? new URL(spec.path, await this.baseUrl(spec.repo.registry))
      : new URL(spec.path);
    let authenticated = false;
    for (;;) {
      const headers: Record<string, string> = { 'user-agent': this.userAgent, ...spec.headers };
      const auth = this.cachedAuth(spec.repo.registry, scope);
      if (auth) headers.authorization = auth;
      const res = await this.withRetry(
        () => this.followRedirects(spec.method, url, headers, spec.body, spec.repo.registry),
        spec.input,
      );
      if (res.status === 401 && !authenticated) {
        // Authenticate once per request; a cached token may also have expired or been revoked.
        drain(res);
        authenticated = true;
        const key = `${spec.repo.registry}|${scope}`;
        // Another request may have authenticated while this one was in flight: use its result.
        const current = this.cachedAuth(spec.repo.registry, scope);
        if (current && current !== auth) continue;
        if (auth && this.auth.get(key)?.header === auth) this.auth.delete(key);
        if (auth && this.basic.get(spec.repo.registry) === auth) this.basic.delete(spec.repo.registry);
        const challenges = parseChallenges(res.headers['www-authenticate']);
        await this.authenticate(spec.repo.registry, scope, challenges, spec.input);
        continue;
      }
      if (spec.allow?.includes(res.status)) return res;
      if (res.status === 401 || res.status === 403) {
        drain(res);
        throw new BulwarkError(
          'REGISTRY_AUTH',
          `registry ${spec.repo.registry} refused access (${res.status})`,
          {
            input: spec.input,
          },
        );
      }
      if (res.status === 404) {
        drain(res);
        throw new BulwarkError('REGISTRY_NOT_FOUND', `not found on ${spec.repo.registry}`, {
          input: spec.input,
        });
      }
      if (res.status >= 400) {
        const text = (await readBody(res, 4096, spec.input).catch(() => Buffer.alloc(0))).toString('utf8');
        throw new BulwarkError(
          'REGISTRY_UNAVAILABLE',
          `registry answered ${res.status}: ${text.slice(0, 200)}`,
          {
            input: spec.input,
          },
        );
      }
      return res;
    }
  }

  private cachedAuth(registry: string, scope: string): string | undefined {
    const basic = this.basic.get(registry);
    if (basic) return basic;
    const hit = this.auth.get(`${registry}|${scope}`);
    if (hit && hit.expires > Date.now()) return hit.header;
    return undefined;
  }

  /** Concurrent requests that meet the same 401 share one token fetch. */
  private authenticate(
    registry: string,
    scope: string,
    challenges: Challenge[],
    input: string,
  ): Promise<void> {
    const key = `${registry}|${scope}`;
    let p = this.pendingAuth.get(key);
    if (!p) {
      p = this.doAuthenticate(registry, scope, challenges, input).finally(() => this.pendingAuth.delete(key));
      this.pendingAuth.set(key, p);
    }
    return p;
  }

  private async doAuthenticate(
    registry: string,
    scope: string,
    challenges: Challenge[],
    input: string,
  ): Promise<void> {
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    const cred = await this.credentials.get(registry);
    if (bearer) {
      const token = await this.fetchToken(registry, scope, bearer, cred, input);
      this.auth.set(`${registry}|${scope}`, { header: `Bearer ${token.token}`, expires: token.expires });
      return;
    }
    if (basic) {
      if (!cred || cred.username === undefined) {
        throw new BulwarkError('REGISTRY_AUTH', `registry ${registry} requires credentials (basic auth)`, {
          input,
        });
      }
      this.basic.set(registry, basicHeader(cred));
      return;
    }
    throw new BulwarkError('REGISTRY_AUTH', `registry ${registry} answered 401 without a usable challenge`, {
      input,
    });
  }

  private async fetchToken(
    registry: string,
    scope: string,
    challenge: Challenge,
    cred: Credential | undefined,
    input: string,
  ): Promise<{ token: string; expires: number }> {
    const realm = challenge.params.realm;
    let url: URL;
    try {
      url = new URL(realm ?? '');
    } catch {
      throw new BulwarkError(
        'REGISTRY_AUTH',
        `registry ${registry} sent a bearer challenge without a valid realm`,
        { input },
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new BulwarkError('REGISTRY_AUTH', `token realm ${url.href} is not HTTP(S)`, { input });
    }
    const scopes = new Set([scope, ...(challenge.params.scope ? [challenge.params.scope] : [])]);
    const service = challenge.params.service;
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    let method = 'GET';
    let body: Buffer | undefined;
    if (cred?.identityToken) {
      // Identity tokens are OAuth2 refresh tokens exchanged at the same realm (Docker's behaviour).
      method = 'POST';
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: cred.identityToken,
        client_id: 'bulwark',
      });
      if (service) form.set('service', service);
      form.set('scope', [...scopes].join(' '));
      body = Buffer.from(form.toString());
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else {
      if (service) url.searchParams.set('service', service);
      for (const s of scopes) url.searchParams.append('scope', s);
      if (cred && cred.username !== undefined) headers.authorization = basicHeader(cred);
    }
    const res = await this.withRetry(
      () => this.followRedirects(method, url, headers, body, url.host),
      url.href,
    );
    if (res.status === 401 || res.status === 403) {
      drain(res);
      throw new BulwarkError(
        'REGISTRY_AUTH',
        `token service of ${registry} refused the credentials (${res.status})`,
        { input },
      );
    }
    if (res.status !== 200) {
      drain(res);
      throw new BulwarkError('REGISTRY_AUTH', `token service of ${registry} answered ${res.status}`, {
        input,
      });
    }
    const parsed = tokenResponseSchema.safeParse(safeJson(await readBody(res, 1024 * 1024, url.href)));
    const token = parsed.success ? (parsed.data.token ?? parsed.data.access_token) : undefined;
    if (!token || !parsed.success) {
      throw new BulwarkError('REGISTRY_AUTH', `token service of ${registry} returned no token`, { input });
    }
    const lifetime = Math.max(parsed.data.expires_in ?? 60, 10);
    return { token, expires: Date.now() + (lifetime - 5) * 1000 };
  }

  /** Retries 429, 5xx and dropped connections with jittered exponential backoff and Retry-After. */
  private async withRetry(attempt: () => Promise<RawResponse>, input: string): Promise<RawResponse> {
    let waited = 0;
    for (let n = 1; ; n++) {
      let res: RawResponse | undefined;
      let failure: BulwarkError | undefined;
      try {
        res = await attempt();
      } catch (e) {
        if (!isConnectionReset(e)) throw e;
        failure = new BulwarkError('REGISTRY_UNAVAILABLE', `connection dropped: ${(e as Error).message}`, {
          input,
          cause: e,
        });
      }
      if (res && res.status !== 429 && res.status < 500) return res;
      let retryAfterMs: number | undefined;
      if (res) {
        retryAfterMs = parseRetryAfter(header(res, 'retry-after'));
        drain(res);
        failure = new BulwarkError(
          'REGISTRY_UNAVAILABLE',
          `registry answered ${res.status} after ${n} attempt(s)`,
          { input },
        );
      }
      if (n >= this.retry.attempts) throw failure!;
      const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (n - 1));
      const jittered = backoff / 2 + Math.random() * (backoff / 2);
      const delay = Math.max(jittered, retryAfterMs ?? 0);
      if (waited + delay > this.retry.maxTotalWaitMs) throw failure!;
      waited += delay;
      await sleep(delay);
    }
  }

  /**
   * Follows redirects by hand: bounded, loop-detected, and Authorization is never sent to a host
   * other than the one it was meant for (blob storage behind a redirect).
   */
  private async followRedirects(
    method: string,
    start: URL,
    headers: Record<string, string>,
    body: Buffer | undefined,
    authHost: string,
  ): Promise<RawResponse> {
    let url = start;
    let hdrs = { ...headers };
    let m = method;
    let b = body;
    const seen = new Set([url.href]);
    for (let hops = 0; ; hops++) {
      if (url.host !== authHost) delete hdrs.authorization;
      const res = await send({
        method: m,
        url,
        headers: hdrs,
        body: b,
        timeoutMs: this.limits.httpTimeoutMs,
        agent: this.agentFor(url),
      });
      const location = header(res, 'location');
      if (!REDIRECTS.has(res.status) || !location) return res;
      drain(res);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new BulwarkError('REGISTRY_UNAVAILABLE', `redirect to an invalid URL "${location}"`, {
          input: url.href,
        });
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') {
        throw new BulwarkError('REGISTRY_UNAVAILABLE', `redirect to unsupported URL ${next.href}`, {
          input: url.href,
        });
      }
      if (seen.has(next.href)) {
        throw new BulwarkError('REGISTRY_UNAVAILABLE', `redirect loop at ${next.href}`, {
          input: start.href,
        });
      }
      if (hops + 1 > this.limits.maxRedirects) {
        throw new BulwarkError(
          'REGISTRY_UNAVAILABLE',
          `more than ${this.limits.maxRedirects} redirects, last ${next.href}`,
          {
            input: start.href,
          },
        );
      }
      seen.add(next.href);
      if (next.host !== url.host) {
        // Once a redirect leaves the host the credentials belong to, they never follow.
        hdrs = { ...hdrs };
        delete hdrs.authorization;
      }
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && m === 'POST')) {
        m = 'GET';
        b = undefined;
      }
      url = next;
    }
  }
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(v: string | undefined): number | undefined {
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
