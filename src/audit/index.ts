export {
  admitted,
  admittedWrite,
  allowed,
  at,
  complete,
  createdPodSpec,
  decision,
  eventTime,
  imageRepository,
  isCreate,
  isRecord,
  isResource,
  isWrite,
  listSetting,
  matchesAny,
  objectName,
  podContainers,
  requestObject,
  subjectAllowed,
  targetLabel,
  username,
  type AuditInput,
  type ContainerAt,
  type Json,
} from './event.js';
export { followFile, type FollowOptions } from './follow.js';
export { LineSplitter, type LineItem } from './lines.js';
export {
  AuditDecoder,
  decodeAuditText,
  DEFAULT_MAX_DOCUMENT_BYTES,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_MAX_LIST_ITEMS,
  readAuditStream,
  type AuditItem,
  type AuditReadOptions,
  type StreamReset,
} from './read.js';
export {
  AUDIT_API_VERSIONS,
  auditEventSchema,
  describeIssue,
  isAuditEvent,
  type AuditEvent,
} from './schema.js';
export {
  emptyStats,
  scanAuditLog,
  type AuditCheckResult,
  type AuditChecker,
  type AuditScanItem,
  type AuditScanStats,
} from './scan.js';
export { findingJsonLine, findingTextLine } from './render.js';
export {
  auditConfigSchema,
  auditRuleSettings,
  DEFAULT_DENIAL_BURST,
  DEFAULT_SECRET_READERS,
  DEFAULT_SYSTEM_NAMESPACES,
  DEFAULT_TOKEN_MINTERS,
  SENSITIVE_HOST_PATHS,
  type AuditConfig,
} from './config.js';
