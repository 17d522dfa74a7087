/**
 * Opens the server store: a SQLite file (WAL, foreign keys on) by default, PostgreSQL when given
 * a `postgres://` URL, both through kysely so every query is written once. Migrations run on open.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { BulwarkError } from '../../core/errors.js';
import { migrations, type Dialect } from './migrations.js';
import type { Database } from './schema.js';

export interface StoreOptions {
  /** SQLite: the database file (its folder is made) */
  sqlitePath?: string;
  /** PostgreSQL: `postgres://user@host:port/db` (also `postgresql://`, and `?host=/socket/dir`) */
  databaseUrl?: string;
}

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** true when the store answers a query */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The place a store is, for messages: never the password of a URL. */
export function describeStore(opts: StoreOptions): string {
  if (opts.databaseUrl) {
    try {
      const u = new URL(opts.databaseUrl);
      u.password = '';
      return u.toString();
    } catch {
      return 'postgres://(unparsable URL)';
    }
  }
  return opts.sqlitePath ?? '(no store)';
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  let db: Kysely<Database>;
  let dialect: Dialect;
  const where = describeStore(opts);
  if (opts.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(opts.databaseUrl))
      throw new BulwarkError('USAGE', '--database takes a postgres:// URL', { input: where });
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // an idle client that loses its server must not crash the process; the next query fails instead
    pool.on('error', () => undefined);
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    dialect = 'postgres';
  } else if (opts.sqlitePath) {
    const { default: SQLite } = await import('better-sqlite3');
    mkdirSync(path.dirname(opts.sqlitePath), { recursive: true });
    let file: InstanceType<typeof SQLite>;
    try {
      file = new SQLite(opts.sqlitePath);
      file.pragma('journal_mode = WAL');
      file.pragma('synchronous = NORMAL');
      file.pragma('foreign_keys = ON');
      file.pragma('busy_timeout = 5000');
    } catch (e) {
      throw new BulwarkError('DATABASE', `cannot open the server store: ${(e as Error).message}`, {
        input: where,
        cause: e,
      });
    }
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
    dialect = 'sqlite';
  } else {
    throw new BulwarkError('USAGE', 'the server store needs a SQLite path or a PostgreSQL URL');
  }
  const store: Store = {
    db,
    dialect,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
  try {
    await migrate(store);
  } catch (e) {
    await db.destroy().catch(() => undefined);
    if (e instanceof BulwarkError) throw e;
    throw new BulwarkError('DATABASE', `cannot prepare the server store: ${(e as Error).message}`, {
      input: where,
      cause: e,
    });
  }
  return store;
}

/** Applies every migration not applied yet; a failed one is rolled back and reported. */
export async function migrate(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations(store.dialect) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new BulwarkError('DATABASE', `migration ${failed} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
