import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { BulwarkError } from '../core/errors.js';
import { DOCKER_HUB_DOMAIN } from './reference.js';

export interface Credential {
  username?: string;
  password?: string;
  /** OAuth refresh token (`identitytoken`, or a helper answering Username `<token>`) */
  identityToken?: string;
}

export interface CredentialStoreOptions {
  /** path of a Docker `config.json`; a missing file means anonymous access */
  dockerConfigPath?: string;
  /** environment for `docker-credential-*` helpers (PATH is used to find them) */
  env?: Record<string, string | undefined>;
  /** how long a helper may run */
  helperTimeoutMs?: number;
}

const authEntrySchema = z.looseObject({
  auth: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  identitytoken: z.string().optional(),
});
const dockerConfigSchema = z.looseObject({
  auths: z.record(z.string(), authEntrySchema).optional(),
  credsStore: z.string().optional(),
  credHelpers: z.record(z.string(), z.string()).optional(),
});
type DockerConfig = z.infer<typeof dockerConfigSchema>;

const helperAnswerSchema = z.looseObject({ Username: z.string().optional(), Secret: z.string() });

/** Docker keeps Docker Hub credentials under its v1 index URL. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';
const HUB_ALIASES = new Set([DOCKER_HUB_DOMAIN, 'index.docker.io', 'registry-1.docker.io']);
const MAX_HELPER_OUTPUT = 64 * 1024;

/** `https://host:5000/v1/` -> `host:5000`, as Docker's convertToHostname. */
function keyHost(key: string): string {
  return key
    .replace(/^https?:\/\//, '')
    .split('/')[0]!
    .toLowerCase();
}

function canonicalHost(host: string): string {
  const h = host.toLowerCase();
  return HUB_ALIASES.has(h) ? DOCKER_HUB_DOMAIN : h;
}

/** Reads credentials the way the Docker CLI does: credHelpers, then credsStore, then auths. */
export class CredentialStore {
  private config: Promise<DockerConfig> | undefined;
  private readonly cache = new Map<string, Promise<Credential | undefined>>();

  constructor(private readonly opts: CredentialStoreOptions = {}) {}

  /** Credentials for a registry host (`docker.io`, `registry-1.docker.io`, `host:5000`), if any. */
  get(registryHost: string): Promise<Credential | undefined> {
    const host = canonicalHost(registryHost);
    let p = this.cache.get(host);
    if (!p) {
      p = this.lookup(host);
      this.cache.set(host, p);
      p.catch(() => this.cache.delete(host));
    }
    return p;
  }

  private loadConfig(): Promise<DockerConfig> {
    this.config ??= (async () => {
      const path = this.opts.dockerConfigPath;
      if (!path) return {};
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return {};
        throw new BulwarkError('CONFIG', `cannot read Docker config: ${(e as Error).message}`, {
          input: path,
        });
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new BulwarkError('CONFIG', 'Docker config is not valid JSON', { input: path });
      }
      const parsed = dockerConfigSchema.safeParse(json);
      if (!parsed.success)
        throw new BulwarkError('CONFIG', 'Docker config has an unexpected shape', { input: path });
      return parsed.data;
    })();
    return this.config;
  }

  private async lookup(host: string): Promise<Credential | undefined> {
    const config = await this.loadConfig();
    const serverAddress = host === DOCKER_HUB_DOMAIN ? DOCKER_HUB_AUTH_KEY : host;
    const helper = findHelper(config.credHelpers, host);
    if (helper) {
      const c = await this.runHelper(helper, serverAddress);
      if (c) return c;
    } else if (config.credsStore) {
      const c = await this.runHelper(config.credsStore, serverAddress);
      if (c) return c;
    }
    return fromAuths(config.auths, host, this.opts.dockerConfigPath);
  }

  private runHelper(name: string, serverAddress: string): Promise<Credential | undefined> {
    const program = `docker-credential-${name}`;
    const timeoutMs = this.opts.helperTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const child = spawn(program, ['get'], {
        env: { ...this.opts.env } as NodeJS.ProcessEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      let settled = false;
      const finish = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        f();
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(() =>
          reject(
            new BulwarkError('CONFIG', `credential helper did not answer within ${timeoutMs} ms`, {
              input: program,
            }),
          ),
        );
      }, timeoutMs);
      child.on('error', (e) => {
        const missing = (e as { code?: string }).code === 'ENOENT';
        finish(() =>
          reject(
            new BulwarkError(
              'CONFIG',
              missing
                ? `credential helper ${program} is not on PATH`
                : `credential helper failed: ${e.message}`,
              { input: program, cause: e },
            ),
          ),
        );
      });
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        if (out.length > MAX_HELPER_OUTPUT) child.kill('SIGKILL');
      });
      child.stderr.on('data', (d: Buffer) => {
        if (err.length < 4096) err += d.toString('utf8');
      });
      child.stdin.on('error', () => {});
      child.stdin.end(serverAddress);
      child.on('close', (code) => {
        finish(() => {
          if (code !== 0) {
            // The helper protocol reports a missing entry as a failure with this text.
            if (/credentials not found/i.test(out + err)) return resolve(undefined);
            return reject(
              new BulwarkError(
                'CONFIG',
                `credential helper exited with ${code}: ${(out + err).trim().slice(0, 200)}`,
                {
                  input: program,
                },
              ),
            );
          }
          let parsed;
          try {
            parsed = helperAnswerSchema.safeParse(JSON.parse(out));
          } catch {
            parsed = undefined;
          }
          if (!parsed?.success) {
            return reject(
              new BulwarkError('CONFIG', 'credential helper printed an invalid answer', { input: program }),
            );
          }
          const { Username, Secret } = parsed.data;
          resolve(
            Username === '<token>'
              ? { identityToken: Secret }
              : { username: Username ?? '', password: Secret },
          );
        });
      });
    });
  }
}

function findHelper(helpers: Record<string, string> | undefined, host: string): string | undefined {
  if (!helpers) return undefined;
  if (helpers[host]) return helpers[host];
  for (const [key, name] of Object.entries(helpers)) if (canonicalHost(keyHost(key)) === host) return name;
  return undefined;
}

function fromAuths(
  auths: DockerConfig['auths'],
  host: string,
  configPath: string | undefined,
): Credential | undefined {
  if (!auths) return undefined;
  const keys = Object.keys(auths);
  const preferred = host === DOCKER_HUB_DOMAIN ? DOCKER_HUB_AUTH_KEY : host;
  const key = keys.includes(preferred) ? preferred : keys.find((k) => canonicalHost(keyHost(k)) === host);
  const entry = key === undefined ? undefined : auths[key];
  if (!entry) return undefined;
  const cred: Credential = {};
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
      throw new BulwarkError('CONFIG', `auth entry for ${key} is not base64 user:password`, {
        input: configPath,
      });
    cred.username = decoded.slice(0, colon);
    cred.password = decoded.slice(colon + 1);
  } else if (entry.username !== undefined || entry.password !== undefined) {
    cred.username = entry.username ?? '';
    cred.password = entry.password ?? '';
  }
  if (entry.identitytoken) cred.identityToken = entry.identitytoken;
  return cred.username !== undefined || cred.identityToken ? cred : undefined;
}
