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

/**
 * Events (append-only, like the audit log), the re-match changes waiting to be grouped into
 * events, notification channels, and the outbox of deliveries (one per event and channel).
 */
function events(dialect: Dialect): Migration {
  const [idType, idCol] = idColumn(dialect);
  return {
    async up(db: Db) {
      await db.schema
        .createTable('events')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('uid', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('kev', 'integer', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_type_at').on('events').columns(['type', 'at']).execute();
      await db.schema.createIndex('events_at').on('events').column('at').execute();
      if (dialect === 'postgres') {
        await sql`create function events_append_only() returns trigger language plpgsql as $$
          begin raise exception 'events is append-only'; end $$`.execute(db);
        await sql`create trigger events_no_update before update or delete on events
          for each row execute function events_append_only()`.execute(db);
      } else {
        await sql`create trigger events_no_update before update on events
          begin select raise(abort, 'events is append-only'); end`.execute(db);
        await sql`create trigger events_no_delete before delete on events
          begin select raise(abort, 'events is append-only'); end`.execute(db);
      }

      await db.schema
        .createTable('rematch_changes')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('new', 'vanished')`))
        .addColumn('vuln_id', 'text', (c) => c.notNull())
        .addColumn('image_id', 'integer', (c) => c.notNull().references('images.id'))
        .addColumn('scan_id', 'integer', (c) => c.notNull().references('scans.id'))
        .addColumn('item', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rematch_changes_run').on('rematch_changes').column('run_id').execute();

      await db.schema
        .createTable('notification_channels')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('webhook', 'slack', 'email')`))
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('event_types', 'text', (c) => c.notNull())
        .addColumn('min_severity', 'text')
        .addColumn('kev_only', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .execute();

      await db.schema
        .createTable('deliveries')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
        .addColumn('channel_id', 'integer', (c) => c.notNull().references('notification_channels.id'))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('pending', 'sending', 'delivered', 'failed', 'cancelled')`),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('last_status', 'integer')
        .addColumn('delivered_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('deliveries_event_channel', ['event_id', 'channel_id'])
        .execute();
      await db.schema
        .createIndex('deliveries_due')
        .on('deliveries')
        .columns(['status', 'next_attempt_at'])
        .execute();
    },
  };
}

/**
 * The work pipeline (issue #11): the SQLite job queue's table (pg-boss makes its own schema on
 * PostgreSQL, so there it is not made), registry credentials (the secret sealed) and scan schedules.
 */
function queue(dialect: Dialect): Migration {
  const [idType, idCol] = idColumn(dialect);
  return {
    async up(db: Db) {
      if (dialect === 'sqlite') {
        await db.schema
          .createTable('jobs')
          .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) =>
            c
              .notNull()
              .check(sql`state in ('created', 'retry', 'active', 'completed', 'cancelled', 'failed')`),
          )
          .addColumn('singleton_key', 'text')
          .addColumn('retry_limit', 'integer', (c) => c.notNull())
          .addColumn('retry_delay', 'integer', (c) => c.notNull())
          .addColumn('retry_backoff', 'integer', (c) => c.notNull())
          .addColumn('retry_count', 'integer', (c) => c.notNull())
          .addColumn('expire_seconds', 'integer', (c) => c.notNull())
          .addColumn('start_after', 'text', (c) => c.notNull())
          .addColumn('created_on', 'text', (c) => c.notNull())
          .addColumn('started_on', 'text')
          .addColumn('completed_on', 'text')
          .addColumn('output', 'text')
          .execute();
        await db.schema
          .createIndex('jobs_due')
          .on('jobs')
          .columns(['name', 'state', 'start_after'])
          .execute();
      }
      await db.schema
        .createTable('registry_credentials')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('host', 'text', (c) => c.notNull().unique())
        .addColumn('username', 'text')
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('password', 'token')`))
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .execute();
      await db.schema
        .createTable('scan_schedules')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('image', 'repository')`))
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('tags', 'text')
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('next_run_at', 'text', (c) => c.notNull())
        .addColumn('last_run_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .execute();
    },
  };
}

/** Triage decisions (VEX statements, accepted risk) and their append-only comment threads. */
function triage(dialect: Dialect): Migration {
  const [idType, idCol] = idColumn(dialect);
  return {
    async up(db: Db) {
      await db.schema
        .createTable('triage_decisions')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('vuln_id', 'text', (c) => c.notNull())
        .addColumn('package_name', 'text')
        .addColumn('purl', 'text')
        .addColumn('scope', 'text', (c) =>
          c.notNull().check(sql`scope in ('image', 'repository', 'everywhere')`),
        )
        .addColumn('image_id', 'integer', (c) => c.references('images.id'))
        .addColumn('repository', 'text')
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(
              sql`status in ('not_affected', 'affected', 'fixed', 'under_investigation', 'accepted_risk')`,
            ),
        )
        .addColumn('justification', 'text')
        .addColumn('impact_statement', 'text')
        .addColumn('action_statement', 'text')
        .addColumn('owner', 'text')
        .addColumn('reason', 'text')
        .addColumn('expires_at', 'text')
        .addColumn('created_by', 'integer', (c) => c.references('users.id'))
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .execute();
      await db.schema.createIndex('triage_decisions_vuln').on('triage_decisions').column('vuln_id').execute();

      await db.schema
        .createTable('triage_comments')
        .addColumn('id', sql.raw(idType), idCol)
        .addColumn('decision_id', 'integer', (c) => c.notNull().references('triage_decisions.id'))
        .addColumn('author_id', 'integer', (c) => c.references('users.id'))
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('triage_comments_decision')
        .on('triage_comments')
        .column('decision_id')
        .execute();

      // a comment thread is append-only, as the audit log is
      if (dialect === 'postgres') {
        await sql`create function triage_comments_append_only() returns trigger language plpgsql as $$
          begin raise exception 'triage_comments is append-only'; end $$`.execute(db);
        await sql`create trigger triage_comments_no_update before update or delete on triage_comments
          for each row execute function triage_comments_append_only()`.execute(db);
      } else {
        await sql`create trigger triage_comments_no_update before update on triage_comments
          begin select raise(abort, 'triage_comments is append-only'); end`.execute(db);
        await sql`create trigger triage_comments_no_delete before delete on triage_comments
          begin select raise(abort, 'triage_comments is append-only'); end`.execute(db);
      }
    },
  };
}

/**
 * Risk facts per scan (the portfolio ranking reads these instead of whole reports). Filled on
 * first use, never changed: scans are immutable. Dropped with nothing else depending on it.
 */
function risk(): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('scan_risk')
        .addColumn('scan_id', 'integer', (c) => c.primaryKey().references('scans.id'))
        .addColumn('facts', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

/** Every migration, by name; the names sort in the order they apply. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-initial': initial(dialect),
    '0002-queue': queue(dialect),
    '0004-triage': triage(dialect),
    '0005-risk': risk(),
    '0006-events': events(dialect),
    '0007-dashboard': dashboardMigration(dialect),
  };
}
