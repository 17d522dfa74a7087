import type { Severity } from '../core/types.js';

/**
 * The rule engine's contract, used by every configuration check (Dockerfile, Kubernetes, compose,
 * running containers, daemon/host, image config, secrets, audit logs, admission policy).
 * A rule is data (`meta`) plus a pure `check` that returns findings and does no I/O.
 */
export type CheckTarget =
  'dockerfile' | 'kubernetes' | 'compose' | 'container' | 'daemon' | 'host' | 'image-config' | 'secrets';

export interface RuleMeta<MessageId extends string = string> {
  /** bulwark id, equals the rule's file name: `dockerfile/no-root-user` -> `BW-DF-...` see registry */
  id: string;
  /** equivalent ids in other tools' own spelling: `DL3002`, `AVD-DS-0002`, `AVD-KSV-0017`, `CIS-Docker-4.1`, `KSV017` */
  aliases: string[];
  title: string;
  severity: Severity;
  category: string;
  references: string[];
  remediation: string;
  appliesTo: CheckTarget[];
  /** message templates by id; `{{name}}` placeholders filled from `data` */
  messages: Record<MessageId, string>;
}

export interface Position {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface RuleReport<MessageId extends string = string> extends Position {
  messageId: MessageId;
  data?: Record<string, string | number>;
  /** for structured inputs: the field that decided it (`spec.containers[0].securityContext.privileged`) */
  field?: string;
  /** object the finding is about (`Deployment/web`, `container web`, `stage build`) */
  object?: string;
}

export interface CheckFinding {
  ruleId: string;
  aliases: string[];
  severity: Severity;
  title: string;
  message: string;
  remediation: string;
  references: string[];
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  field?: string;
  object?: string;
  target: CheckTarget;
}
