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
