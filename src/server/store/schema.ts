/**
 * The server store's tables as kysely sees them. One schema for SQLite and PostgreSQL: times are
 * ISO 8601 UTC strings (they sort as text the same way in both), JSON documents are text, ids are
 * integers. Changes go through a new migration in migrations.ts, never by editing one already
 * released.
 */
import type { Generated } from 'kysely';

export type Role = 'admin' | 'analyst' | 'viewer';

export interface ImagesTable {
  id: Generated<number>;
  /** `docker.io/library/alpine`, or what the scan named when it was no image reference (a path) */
  repository: string;
  /** `3.19`; `@sha256:...` when the image was named by digest only; '' when unknown */
  tag: string;
  /** manifest digest of the latest scan of this repository:tag */
  digest: string | null;
  created_at: string;
  updated_at: string;
}

export interface ScansTable {
  id: Generated<number>;
  image_id: number;
  /** manifest digest the scan saw */
  digest: string | null;
  /** when the scan ran (the report's createdAt) */
  scanned_at: string;
  received_at: string;
  /** the vulnerability database build time (db.builtAt) the scan matched against */
  db_version: string | null;
  tool_version: string;
  finding_count: number;
  /** the whole JSON report as uploaded (src/report/schema/report.schema.json) */
  report: string;
  /** a SHA-256 of the report text: the same upload twice is stored once */
  report_sha256: string;
  /** who uploaded it (user id) */
  uploaded_by: number | null;
}

export interface LayersTable {
  /** the uncompressed layer digest (diffID): the same content under any compression */
  diff_id: string;
  /** the blob digest the first image uploaded with this layer had */
  digest: string;
  created_by: string | null;
  /** JSON array of the packages the layer introduced (report package objects) */
  inventory: string;
  package_count: number;
  created_at: string;
}

export interface ImageLayersTable {
  scan_id: number;
  position: number;
  diff_id: string;
}

export interface FindingsTable {
  id: Generated<number>;
  scan_id: number;
  vuln_id: string;
  /** `ecosystem/name location`: what identifies the package across scans of an image */
  package_key: string;
  package_name: string;
  package_version: string;
  ecosystem: string;
  purl: string;
  severity: string;
  fixed_version: string | null;
  risk: number;
  layer_diff_id: string | null;
}

export interface FindingStateTable {
  image_id: number;
  vuln_id: string;
  package_key: string;
  severity: string;
  first_seen: string;
  last_seen: string;
  /** when the first later scan no longer had it; null while open */
  fixed_at: string | null;
  first_scan_id: number;
  last_scan_id: number;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  role: Role;
  /** base32 TOTP secret, set at enrolment; enabled once a code was verified */
  totp_secret: string | null;
  totp_enabled: Generated<number>;
  /** the last accepted TOTP time step: a code of that step or an earlier one is a replay */
  totp_last_step: Generated<number>;
  failed_logins: Generated<number>;
  locked_until: string | null;
  disabled: Generated<number>;
  created_at: string;
}

export interface RecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  code_sha256: string;
  used_at: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** SHA-256 of the token (tokens are 256-bit random, so a fast hash is enough) */
  token_sha256: string;
  /** JSON array: read, write, admin */
  scopes: string;
  expires_at: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a stolen database gives no live session */
  id_sha256: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  /** user id, or null for the system and unauthenticated attempts */
  actor_id: number | null;
  actor: string;
  action: string;
  target: string | null;
  /** JSON object */
  detail: string;
  ip: string | null;
  outcome: 'ok' | 'denied' | 'failed';
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface EventsTable {
  id: Generated<number>;
  /** the public event id (`evt_` + 128 random bits): receivers deduplicate by it */
  uid: string;
  type: string;
  at: string;
  /** the highest severity among the findings the event is about (UNKNOWN when none) */
  severity: string;
  /** 1 when one of them is in CISA KEV */
  kev: number;
  summary: string;
  /** JSON object, by type (docs/notifications.md) */
  payload: string;
}

export interface RematchChangesTable {
  id: Generated<number>;
  /** one re-match run: its changes become one event per vulnerability when the run ends */
  run_id: string;
  at: string;
  kind: 'new' | 'vanished';
  vuln_id: string;
  image_id: number;
  scan_id: number;
  /** JSON: the finding and the image it is about */
  item: string;
}

export type ChannelKind = 'webhook' | 'slack' | 'email';

export interface NotificationChannelsTable {
  id: Generated<number>;
  name: string;
  kind: ChannelKind;
  enabled: number;
  /** JSON, what is not secret: the webhook URL, the SMTP host, port, security, user, from, to */
  config: string;
  /** sealed (crypto/sealed.ts): the HMAC key, the Slack URL or the SMTP password */
  secret: string;
  /** JSON array of event types; empty means every type */
  event_types: string;
  min_severity: string | null;
  kev_only: number;
  created_at: string;
  updated_at: string;
  /** set by DELETE: kept so the deliveries keep their channel */
  deleted_at: string | null;
}

export interface DeliveriesTable {
  id: Generated<number>;
  event_id: number;
  channel_id: number;
  status: 'pending' | 'sending' | 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  /** when it is due (pending) or when a claim by a sender lapses (sending) */
  next_attempt_at: string;
  last_error: string | null;
  last_status: number | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

export type TriageStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation' | 'accepted_risk';
export type TriageScope = 'image' | 'repository' | 'everywhere';

export interface TriageDecisionsTable {
  id: Generated<number>;
  /** the vulnerability id as findings carry it (CVE-..., GHSA-..., DSA-...) */
  vuln_id: string;
  /** null: every package with this vulnerability */
  package_name: string | null;
  /** a purl without version (every version) or with one (that version only) */
  purl: string | null;
  scope: TriageScope;
  /** scope `image` */
  image_id: number | null;
  /** scope `repository`: the images table's repository */
  repository: string | null;
  status: TriageStatus;
  /** OpenVEX justification (status not_affected) */
  justification: string | null;
  impact_statement: string | null;
  /** status affected: what to do */
  action_statement: string | null;
  /** accepted risk: who owns it, why, until when (ISO 8601) */
  owner: string | null;
  reason: string | null;
  expires_at: string | null;
  created_by: number | null;
  author: string;
  created_at: string;
  updated_at: string;
  /** a deleted decision no longer applies; it stays for its comments and the audit trail */
  deleted_at: string | null;
}

export interface TriageCommentsTable {
  id: Generated<number>;
  decision_id: number;
  author_id: number | null;
  author: string;
  body: string;
  created_at: string;
}

/** Per scan, the findings' risk facts (compact JSON, see store/risk.ts): scans are immutable, so it is written once. */
export interface ScanRiskTable {
  scan_id: number;
  facts: string;
}

/** per scan, its findings counted (the dashboard's overview; src/server/store/dashboard.ts) */
export interface ScanSummariesTable {
  scan_id: number;
  image_id: number;
  scanned_at: string;
  critical: number;
  high: number;
  medium: number;
  low: number;
  unknown: number;
  kev: number;
  fixable: number;
}

export interface Database {
  images: ImagesTable;
  scans: ScansTable;
  layers: LayersTable;
  image_layers: ImageLayersTable;
  findings: FindingsTable;
  finding_state: FindingStateTable;
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  events: EventsTable;
  rematch_changes: RematchChangesTable;
  notification_channels: NotificationChannelsTable;
  deliveries: DeliveriesTable;
  jobs: JobsTable;
  registry_credentials: RegistryCredentialsTable;
  scan_schedules: ScanSchedulesTable;
  triage_decisions: TriageDecisionsTable;
  triage_comments: TriageCommentsTable;
  scan_risk: ScanRiskTable;
  scan_summaries: ScanSummariesTable;
}

/** The SQLite job queue (src/server/queue/sqlite.ts); on PostgreSQL pg-boss keeps its own tables. */
export interface JobsTable {
  seq: Generated<number>;
  /** a UUID, as pg-boss's */
  id: string;
  name: string;
  /** JSON payload */
  data: string;
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  singleton_key: string | null;
  retry_limit: number;
  retry_delay: number;
  retry_backoff: number;
  retry_count: number;
  expire_seconds: number;
  start_after: string;
  created_on: string;
  started_on: string | null;
  completed_on: string | null;
  /** JSON: the handler's answer, or {message} of its error */
  output: string | null;
}

export interface RegistryCredentialsTable {
  id: Generated<number>;
  /** `registry.example:5000`, as in image references */
  host: string;
  username: string | null;
  kind: 'password' | 'token';
  /** sealed (src/server/crypto/sealed.ts), never in the clear */
  secret: string;
  created_at: string;
  created_by: number | null;
}

export interface ScanSchedulesTable {
  id: Generated<number>;
  kind: 'image' | 'repository';
  /** an image reference (kind image) or a repository `host/path` (kind repository) */
  reference: string;
  /** repository schedules: "all", or a glob / `/regex/` */
  tags: string | null;
  cron: string;
  next_run_at: string;
  last_run_at: string | null;
  created_at: string;
  created_by: number | null;
}
