/**
 * Registry credentials for scans by reference: one row per registry host, the password or token
 * sealed (src/server/crypto/sealed.ts), never stored or answered in the clear.
 */
import type { Credential } from '../../registry/index.js';
import type { SecretBox } from '../crypto/sealed.js';
import type { Store } from './open.js';

export const REGISTRY_SECRET_PURPOSE = 'registry-credential';

export interface RegistryView {
  id: number;
  host: string;
  username: string | null;
  kind: 'password' | 'token';
  createdAt: string;
}

/** `HTTPS://Registry.Example:5000/` -> `registry.example:5000`, as image references name hosts. */
export function normalizeRegistryHost(host: string): string {
  return host
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

const view = (r: {
  id: number;
  host: string;
  username: string | null;
  kind: 'password' | 'token';
  created_at: string;
}): RegistryView => ({ id: r.id, host: r.host, username: r.username, kind: r.kind, createdAt: r.created_at });

export async function listRegistries(store: Store): Promise<RegistryView[]> {
  const rows = await store.db
    .selectFrom('registry_credentials')
    .select(['id', 'host', 'username', 'kind', 'created_at'])
    .orderBy('host')
    .execute();
  return rows.map(view);
}

/** Adds or replaces the credential of a host. */
export async function putRegistry(
  store: Store,
  box: SecretBox,
  r: { host: string; username?: string; password?: string; token?: string; by: number | null; now: Date },
): Promise<{ view: RegistryView; replaced: boolean }> {
  const host = normalizeRegistryHost(r.host);
  const kind = r.token !== undefined ? 'token' : 'password';
  const secret = box.seal(r.token ?? r.password ?? '', `${REGISTRY_SECRET_PURPOSE}:${host}`);
  return store.db.transaction().execute(async (tx) => {
    const old = await tx
      .selectFrom('registry_credentials')
      .select('id')
      .where('host', '=', host)
      .executeTakeFirst();
    if (old)
      await tx
        .updateTable('registry_credentials')
        .set({
          username: r.username ?? null,
          kind,
          secret,
          created_at: r.now.toISOString(),
          created_by: r.by,
        })
        .where('id', '=', old.id)
        .execute();
    else
      await tx
        .insertInto('registry_credentials')
        .values({
          host,
          username: r.username ?? null,
          kind,
          secret,
          created_at: r.now.toISOString(),
          created_by: r.by,
        })
        .execute();
    const row = await tx
      .selectFrom('registry_credentials')
      .select(['id', 'host', 'username', 'kind', 'created_at'])
      .where('host', '=', host)
      .executeTakeFirstOrThrow();
    return { view: view(row), replaced: Boolean(old) };
  });
}

export async function deleteRegistry(store: Store, id: number): Promise<RegistryView | undefined> {
  const row = await store.db
    .selectFrom('registry_credentials')
    .select(['id', 'host', 'username', 'kind', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  await store.db.deleteFrom('registry_credentials').where('id', '=', id).execute();
  return view(row);
}

/**
 * What the registry client asks for: the stored credential of a host, opened (sealed to that
 * host, so a row copied to another host does not open). Without a box, no credentials.
 */
export function storedCredentials(
  store: Store,
  box: SecretBox | undefined,
): { get(host: string): Promise<Credential | undefined> } {
  return {
    async get(registryHost: string) {
      if (!box) return undefined;
      const host = normalizeRegistryHost(registryHost);
      const hosts =
        host === 'registry-1.docker.io' || host === 'index.docker.io' ? [host, 'docker.io'] : [host];
      const row = await store.db
        .selectFrom('registry_credentials')
        .select(['host', 'username', 'kind', 'secret'])
        .where('host', 'in', hosts)
        .executeTakeFirst();
      if (!row) return undefined;
      const secret = box.open(row.secret, `${REGISTRY_SECRET_PURPOSE}:${row.host}`);
      return row.kind === 'token' && !row.username
        ? { identityToken: secret }
        : { ...(row.username ? { username: row.username } : {}), password: secret };
    },
  };
}
