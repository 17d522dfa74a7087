/** Pod Security Standards levels that restrict anything (`privileged` allows everything). */
export type PssLevel = 'baseline' | 'restricted';

/** A path from the pod-like object's root: `['spec', 'containers', 0, 'securityContext']`. */
export type FieldPath = (string | number)[];

/** The parts of a pod PSA looks at, as plain parsed JSON (a Pod or a workload's pod template). */
export interface PodLike {
  metadata?: Record<string, unknown>;
  spec?: Record<string, unknown>;
}

/** One failed check, named by the check id Pod Security Admission itself uses. */
export interface PssViolation {
  control: string;
  /** PSA's short forbidden reason (`privileged`, `host namespaces`, ...) */
  reason: string;
  /** PSA's forbidden detail (`container "app" must not set securityContext.privileged=true`) */
  detail: string;
  /** first offending field, dotted (`spec.containers[0].securityContext.privileged`) */
  field?: string;
  /** every offending field, as paths from the pod-like object's root (for source positions) */
  paths: FieldPath[];
}

export interface PssResult {
  allowed: boolean;
  level: PssLevel;
  /** the policy version actually evaluated (`v1.N`), after resolving `latest` */
  version: string;
  violations: PssViolation[];
}

export interface CheckResult {
  reason: string;
  detail: string;
  paths: FieldPath[];
}

export type CheckFn = (pod: PodLike) => CheckResult | undefined;

/** One versioned behaviour of a check: applies from `minor` until the next entry's minor. */
export interface VersionedCheck {
  minor: number;
  check: CheckFn;
  /** baseline check ids this restricted check replaces from this version on */
  overrides?: string[];
}

export interface PssCheck {
  id: string;
  level: PssLevel;
  /** sorted by `minor`, strictly increasing */
  versions: VersionedCheck[];
}

export interface EvaluateOptions {
  /**
   * Relax runAsNonRoot/runAsUser for `hostUsers: false` pods, as PSA does when its
   * UserNamespacesPodSecurityStandards feature gate is on (off by default, as in PSA).
   */
  relaxForUserNamespaces?: boolean;
}
