/**
 * The server store's migrations, as code, for SQLite and PostgreSQL alike. The only dialect
 * differences are spelled here once: how an auto-increment id is declared and how the audit log is
 * made append-only (a trigger either way). A released migration is never edited; a change is a new
 * entry, named so the names sort in order.
 */
import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import { dashboardMigration } from './dashboard.js';

export type Dialect = 'sqlite' | 'postgres';

type Db = Kysely<unknown>;

function idColumn(dialect: Dialect): [string, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return dialect === 'postgres'
    ? ['serial', (c) => c.primaryKey()]
    : ['integer', (c) => c.primaryKey().autoIncrement()];
}

function initial(dialect: Dialect): Migration {
  const [idType, idCol] = idColumn(dialect);
  return {
    async up(db: Db) {
      await db.schema
        .createTable('images')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('repository', 'text', (c) => c.notNull())
        .addColumn('tag', 'text', (c) => c.notNull())
        .addColumn('digest', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('images_repository_tag', ['repository', 'tag'])
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'analyst', 'viewer')`))
        .addColumn('totp_secret', 'text')
        .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('totp_last_step', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('scans')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('image_id', 'integer', (c) => c.notNull().references('images.id'))
        .addColumn('digest', 'text')
        .addColumn('scanned_at', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('db_version', 'text')
        .addColumn('tool_version', 'text', (c) => c.notNull())
        .addColumn('finding_count', 'integer', (c) => c.notNull())
        .addColumn('report', 'text', (c) => c.notNull())
        .addColumn('report_sha256', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'integer', (c) => c.references('users.id'))
        .addUniqueConstraint('scans_image_report', ['image_id', 'report_sha256'])
        .execute();
      await db.schema
        .createIndex('scans_image_time')
        .on('scans')
        .columns(['image_id', 'scanned_at'])
        .execute();

      await db.schema
        .createTable('layers')
        .addColumn('diff_id', 'text', (c) => c.primaryKey())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('inventory', 'text', (c) => c.notNull())
        .addColumn('package_count', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('image_layers')
        .addColumn('scan_id', 'integer', (c) => c.notNull().references('scans.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('diff_id', 'text', (c) => c.notNull().references('layers.diff_id'))
        .addPrimaryKeyConstraint('image_layers_pk', ['scan_id', 'position'])
        .execute();
      await db.schema.createIndex('image_layers_layer').on('image_layers').column('diff_id').execute();

      await db.schema
        .createTable('findings')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('scan_id', 'integer', (c) => c.notNull().references('scans.id'))
        .addColumn('vuln_id', 'text', (c) => c.notNull())
        .addColumn('package_key', 'text', (c) => c.notNull())
        .addColumn('package_name', 'text', (c) => c.notNull())
        .addColumn('package_version', 'text', (c) => c.notNull())
        .addColumn('ecosystem', 'text', (c) => c.notNull())
        .addColumn('purl', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('fixed_version', 'text')
        .addColumn('risk', 'integer', (c) => c.notNull())
        .addColumn('layer_diff_id', 'text')
        .execute();
      await db.schema.createIndex('findings_scan').on('findings').column('scan_id').execute();
      await db.schema.createIndex('findings_vuln').on('findings').column('vuln_id').execute();

      await db.schema
        .createTable('finding_state')
        .addColumn('image_id', 'integer', (c) => c.notNull().references('images.id'))
        .addColumn('vuln_id', 'text', (c) => c.notNull())
        .addColumn('package_key', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'text', (c) => c.notNull())
        .addColumn('fixed_at', 'text')
        .addColumn('first_scan_id', 'integer', (c) => c.notNull().references('scans.id'))
        .addColumn('last_scan_id', 'integer', (c) => c.notNull().references('scans.id'))
        .addPrimaryKeyConstraint('finding_state_pk', ['image_id', 'vuln_id', 'package_key'])
        .execute();

      await db.schema
        .createTable('recovery_codes')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('code_sha256', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_sha256', 'text', (c) => c.notNull().unique())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id_sha256', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'integer')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();

      // append-only: the store itself refuses to change or drop an audit entry
      if (dialect === 'postgres') {
        await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
          begin raise exception 'audit_log is append-only'; end $$`.execute(db);
        await sql`create trigger audit_log_no_update before update or delete on audit_log
          for each row execute function audit_log_append_only()`.execute(db);
      } else {
        await sql`create trigger audit_log_no_update before update on audit_log
          begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
        await sql`create trigger audit_log_no_delete before delete on audit_log
          begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
      }
    },
  };
}

/** Every migration, by name; the names sort in the order they apply. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-initial': initial(dialect),
    '0007-dashboard': dashboardMigration(dialect),
  };
}
