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
  scan_summaries: ScanSummariesTable;
}
