import type { LayerInfo, Severity } from '../core/types.js';

/**
 * The rule engine's contract, used by every configuration check (Dockerfile, Kubernetes, compose,
 * running containers, daemon/host, image config, secrets, audit logs, admission policy).
 * A rule is data (`meta`) plus a pure `check` that returns findings and does no I/O.
 */
export type CheckTarget =
  | 'dockerfile'
  | 'kubernetes'
  | 'compose'
  | 'container'
  | 'daemon'
  | 'host'
  | 'image-config'
  | 'secrets'
  | 'audit'
  | 'netpol';

export interface RuleMeta<MessageId extends string = string> {
  /** bulwark id `<family>/<rule-file-name>`, e.g. `dockerfile/root-user` (checked by the contract test) */
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
  /** for image checks about a file or package: the layer that brought it */
  layer?: LayerInfo;
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
  /** image checks: the layer the file or package the finding is about came from */
  layer?: LayerInfo;
  target: CheckTarget;
}

/** What every rule's `check` receives besides its input. Pure data: rules do no I/O. */
export interface RuleContext {
  /** path of the file being checked, as the user named it (relative to the scan root when recursing) */
  file: string;
  /** per-rule settings from configuration (trusted registries, ...); empty by default */
  settings: Readonly<Record<string, unknown>>;
}

/** A rule: data (`meta`) plus a pure `check`. Created with `defineRule` so message ids are checked. */
export interface Rule<Input = unknown, MessageId extends string = string> {
  meta: RuleMeta<MessageId>;
  check(input: Input, ctx: RuleContext): RuleReport<MessageId>[];
  /**
   * A rule over a stream of inputs (a burst of denials). `check` stays pure and per input: each
   * report is an observation; the stream checker (`src/checks/stream.ts`) counts observations per
   * key in a sliding window of input time and reports the one that reaches the threshold.
   * `checkParsed` skips these rules: one file's inputs are no stream.
   */
  window?: WindowSpec<Input>;
}

/** How a windowed rule's observations are counted; settings `threshold`/`windowSeconds` override. */
export interface WindowSpec<Input = unknown> {
  /** the observation's `data` field that names what is counted (a user name) */
  keyField: string;
  /** the input's time in epoch milliseconds (undefined: the latest time seen) */
  time(input: Input): number | undefined;
  threshold: number;
  windowSeconds: number;
}

/** One parsed unit a family's rules run on (a Dockerfile, a compose file, one Kubernetes object). */
export interface ParsedInput<Input = unknown> {
  input: Input;
  /** object label copied onto findings that do not set their own (`Deployment/web`) */
  object?: string;
}

/** A parsed file: its rule inputs plus what the engine needs for inline suppressions. */
export interface ParsedFile<Input = unknown> {
  inputs: ParsedInput<Input>[];
  /**
   * The line a suppression comment must sit above for a finding on `line` (a Dockerfile
   * instruction's first line when it spans continuation lines); identity when absent.
   */
  statementStart?(line: number): number;
}

/**
 * A rule family (`dockerfile`, `compose`, `kubernetes`, ...): file detection, parsing and its
 * sorted rules. Registered lazily in `src/checks/registry.ts`; the folder
 * `src/checks/rules/<name>/` holds one file per rule plus `index.ts` exporting `family` (or,
 * for a family `generatedFrom` data, only `index.ts`).
 */
export interface RuleFamily<Input = unknown> {
  /** equals the folder name and every rule id's prefix */
  name: string;
  target: CheckTarget;
  /**
   * A family generated from data instead of one file per rule (secrets): the module (path from
   * the repository root) and its export, an array of `{ id }` sorted by id; entry `x` is the rule
   * `<name>/x`. The folder then holds only `index.ts` (the generator) and `README.md`; the
   * contract test checks the rules against the data as it checks other families against files.
   */
  generatedFrom?: { module: string; export: string };
  /** cheap decision from the base name alone: 'yes', 'no', or 'maybe' (sniff the content) */
  matchName(baseName: string): 'yes' | 'no' | 'maybe';
  /** content sniff for 'maybe' names (and files named explicitly on the command line) */
  matchContent(text: string): boolean;
  /** throws BulwarkError (MALFORMED_INPUT, LIMIT_EXCEEDED) on bad input */
  parse(text: string, file: string): ParsedFile<Input>;
  // Rules of one family share the family's input type; `any` here lets a registry hold families
  // of different input types without casts at every call site.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  rules: readonly Rule<Input, any>[];
}
