/**
 * The boundary schema of a Kubernetes audit event (`audit.k8s.io/v1` Event, also v1beta1, which
 * older API servers and recorded logs still carry). Only the fields the rules read are typed; the
 * rest passes through untouched (`requestObject` and `responseObject` stay `unknown` and are read
 * defensively by the rules). Required fields are the ones the API server always writes.
 * https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-Event
 */
import { z } from 'zod';

const MAX_STRING = 64 * 1024;
const str = z.string().max(MAX_STRING);

const userInfo = z.looseObject({
  username: str.optional(),
  uid: str.optional(),
  groups: z.array(str).max(4096).optional(),
});

const objectRef = z.looseObject({
  resource: str.optional(),
  namespace: str.optional(),
  name: str.optional(),
  uid: str.optional(),
  apiGroup: str.optional(),
  apiVersion: str.optional(),
  resourceVersion: str.optional(),
  subresource: str.optional(),
});

export const AUDIT_API_VERSIONS = ['audit.k8s.io/v1', 'audit.k8s.io/v1beta1'] as const;

export const auditEventSchema = z.looseObject({
  kind: z.literal('Event'),
  // absent in some hand-trimmed recordings (Falco's own test events); when present it must be audit's
  apiVersion: z.enum(AUDIT_API_VERSIONS).optional(),
  level: z.enum(['None', 'Metadata', 'Request', 'RequestResponse']),
  auditID: str,
  stage: z.enum(['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic']),
  requestURI: str,
  verb: str,
  user: userInfo,
  impersonatedUser: userInfo.optional(),
  sourceIPs: z.array(str).max(1024).optional(),
  userAgent: str.optional(),
  objectRef: objectRef.optional(),
  responseStatus: z
    .looseObject({
      code: z.number().int().optional(),
      status: str.optional(),
      reason: str.optional(),
      message: str.optional(),
    })
    .optional(),
  requestObject: z.unknown().optional(),
  responseObject: z.unknown().optional(),
  requestReceivedTimestamp: str.optional(),
  stageTimestamp: str.optional(),
  annotations: z.record(str, str).optional(),
});

export type AuditEvent = z.infer<typeof auditEventSchema>;

/** The first problem zod found, as one line naming the field (`stage: Invalid option ...`). */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid audit event';
  const where = issue.path.length ? issue.path.map(String).join('.') : '(event)';
  return `${where}: ${issue.message}`;
}

/*
 * The same schema as a hand-written check, for the hot path: zod took as long as JSON.parse per
 * event (bench/audit.ts), a plain check about a tenth. It accepts exactly what `auditEventSchema`
 * accepts (test/audit/schema.test.ts compares the two on every fixture and on each field made
 * wrong); what it rejects goes through zod, whose message names the field.
 */
const LEVELS = new Set(['None', 'Metadata', 'Request', 'RequestResponse']);
const STAGES = new Set(['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic']);
const VERSIONS = new Set<string>(AUDIT_API_VERSIONS);

const isStr = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_STRING;
const optStr = (v: unknown) => v === undefined || isStr(v);
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function strArray(v: unknown, max: number): boolean {
  if (!Array.isArray(v) || v.length > max) return false;
  for (const x of v) if (!isStr(x)) return false;
  return true;
}

function userOk(u: unknown): boolean {
  return (
    isObj(u) && optStr(u.username) && optStr(u.uid) && (u.groups === undefined || strArray(u.groups, 4096))
  );
}

const REF_FIELDS = [
  'resource',
  'namespace',
  'name',
  'uid',
  'apiGroup',
  'apiVersion',
  'resourceVersion',
  'subresource',
] as const;

function refOk(r: unknown): boolean {
  if (!isObj(r)) return false;
  for (const f of REF_FIELDS) if (!optStr(r[f])) return false;
  return true;
}

function statusOk(s: unknown): boolean {
  return (
    isObj(s) &&
    (s.code === undefined || (typeof s.code === 'number' && Number.isInteger(s.code))) &&
    optStr(s.status) &&
    optStr(s.reason) &&
    optStr(s.message)
  );
}

function annotationsOk(a: unknown): boolean {
  if (!isObj(a)) return false;
  for (const k in a) if (k.length > MAX_STRING || !isStr(a[k])) return false;
  return true;
}

export function isAuditEvent(v: unknown): v is AuditEvent {
  if (!isObj(v) || v.kind !== 'Event') return false;
  return (
    (v.apiVersion === undefined || (typeof v.apiVersion === 'string' && VERSIONS.has(v.apiVersion))) &&
    typeof v.level === 'string' &&
    LEVELS.has(v.level) &&
    isStr(v.auditID) &&
    typeof v.stage === 'string' &&
    STAGES.has(v.stage) &&
    isStr(v.requestURI) &&
    isStr(v.verb) &&
    userOk(v.user) &&
    (v.impersonatedUser === undefined || userOk(v.impersonatedUser)) &&
    (v.sourceIPs === undefined || strArray(v.sourceIPs, 1024)) &&
    optStr(v.userAgent) &&
    (v.objectRef === undefined || refOk(v.objectRef)) &&
    (v.responseStatus === undefined || statusOk(v.responseStatus)) &&
    optStr(v.requestReceivedTimestamp) &&
    optStr(v.stageTimestamp) &&
    (v.annotations === undefined || annotationsOk(v.annotations))
  );
}
