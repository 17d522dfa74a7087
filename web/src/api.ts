/**
 * The dashboard's only way to the server: its public API under /api/v1, as the CLI uses it. The
 * session is the HttpOnly cookie the server sets at sign-in; every write sends the session's CSRF
 * token in X-CSRF-Token. Errors are the server's `{"error":{"code","message"}}`, thrown as ApiError.
 */
export type Role = 'admin' | 'analyst' | 'viewer';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'unknown';
export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'unknown'];

export interface User {
  id: number;
  username: string;
  role: Role;
  totpEnabled: boolean;
  disabled: boolean;
  createdAt: string;
}

export interface Session {
  user: User;
  via: 'session' | 'token';
  csrfToken: string | null;
}

export type Counts = Record<Severity, number>;

export interface OverviewImage extends Counts {
  id: number;
  repository: string;
  tag: string;
  digest: string | null;
  scans: number;
  lastScanId: number;
  lastScannedAt: string;
  kev: number;
  fixable: number;
}

export interface Overview {
  totals: Counts & {
    images: number;
    scans: number;
    kev: number;
    fixable: number;
    imagesWithKev: number;
    imagesWithFixes: number;
  };
  series: (Counts & { date: string })[];
  total: number;
  images: OverviewImage[];
}

export interface Image {
  id: number;
  repository: string;
  tag: string;
  digest: string | null;
  scans: number;
  lastScanId: number | null;
  lastScannedAt: string | null;
  openFindings: number;
}

export interface Scan {
  id: number;
  imageId: number;
  digest: string | null;
  scannedAt: string;
  receivedAt: string;
  dbVersion: string | null;
  toolVersion: string;
  findings: number;
}

export interface ReportLayer {
  index: number;
  digest: string;
  diffId: string;
  createdBy: string | null;
}

export interface LayerRef {
  digest: string;
  diffId: string;
  createdBy: string | null;
}

export interface ReportPackage {
  name: string;
  version: string;
  ecosystem: string;
  purl: string;
  layer: LayerRef | null;
}

export interface ReportFinding {
  id: string;
  summary: string | null;
  severity: string;
  kev: { dateAdded: string } | null;
  epss: { epss: number } | null;
  risk: number;
  fixedVersion: string | null;
  package: { name: string; version: string; ecosystem: string; location: string };
  layer: LayerRef | null;
}

export interface Report {
  createdAt: string;
  target: { name: string; digest: string | null; platform: string | null; layers: ReportLayer[] };
  os: { name?: string; version?: string } | null;
  packages: ReportPackage[];
  findings: ReportFinding[];
}

export interface DiffFinding {
  vulnId: string;
  packageKey: string;
  packageName: string;
  packageVersion: string;
  ecosystem: string;
  severity: string;
  fixedVersion: string | null;
}

export interface Diff {
  imageId: number;
  from: number | null;
  to: number;
  new: DiffFinding[];
  fixed: DiffFinding[];
  unchanged: DiffFinding[];
}

export interface Token {
  id: number;
  userId: number;
  name: string;
  scopes: ('read' | 'write' | 'admin')[];
  expiresAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  token?: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorId: number | null;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
  outcome: 'ok' | 'denied' | 'failed';
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrf: string | null = null;
export function setCsrf(token: string | null): void {
  csrf = token;
}

type Query = Record<string, string | number | boolean | undefined>;

function withQuery(path: string, q?: Query): string {
  if (!q) return path;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

export async function api<T>(
  method: string,
  path: string,
  opts: { query?: Query; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(withQuery(`/api/v1${path}`, opts.query), {
    method,
    headers,
    credentials: 'same-origin',
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText);
  }
  return body as T;
}

export const get = <T>(path: string, query?: Query) => api<T>('GET', path, query ? { query } : {});
