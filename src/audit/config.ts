/**
 * The `audit` section of the configuration file: allow-lists and thresholds for the audit rules,
 * validated strictly at the boundary (a misspelt key is a CONFIG error, not a silent no-op), and
 * turned into per-rule settings the rules receive as `ctx.settings`. Lists given here are added to
 * the built-in ones (the control plane reading secrets, kubelets minting tokens), never replace them.
 */
import { z } from 'zod';

/** Who reads secrets as part of running the cluster: the control plane, kubelets, kube-system's controllers. */
export const DEFAULT_SECRET_READERS = [
  'system:kube-controller-manager',
  'system:kube-scheduler',
  'system:apiserver',
  'system:node:*',
  'system:serviceaccount:kube-system:*',
];

/** The control plane mints tokens (tokens controller, kubelet for projected volumes): not by hand. */
export const DEFAULT_TOKEN_MINTERS = [
  'system:kube-controller-manager',
  'system:node:*',
  'system:serviceaccount:kube-system:*',
];

/** Falco's list: host paths whose exposure hands over the node (runtime sockets, kubelet keys, /etc). */
export const SENSITIVE_HOST_PATHS = [
  '/',
  '/proc',
  '/etc',
  '/root',
  '/home/admin',
  '/var/run/docker.sock',
  '/var/run/crio/crio.sock',
  '/run/containerd/containerd.sock',
  '/var/lib/kubelet',
  '/etc/kubernetes',
];

export const DEFAULT_SYSTEM_NAMESPACES = ['kube-system', 'kube-public'];

export const DEFAULT_DENIAL_BURST = { count: 10, seconds: 60 };

/** a user name, `group:<name>`, or a pattern with `*` (`system:serviceaccount:monitoring:*`) */
const subject = z.string().min(1).max(1024);
const subjects = z.array(subject).max(10_000);
const names = z.array(z.string().min(1).max(1024)).max(10_000);

export const auditConfigSchema = z.strictObject({
  /** users, `group:` groups and service accounts that may read or list secrets (audit/secret-access) */
  allowedSecretReaders: subjects.optional(),
  /** who may exec or attach into pods (audit/pod-exec) */
  allowedExecUsers: subjects.optional(),
  /** who may create service-account tokens (audit/sa-token-created) */
  allowedTokenCreators: subjects.optional(),
  /** image repositories that may run privileged (audit/privileged-pod) */
  allowedPrivilegedImages: names.optional(),
  /** image repositories that may use host namespaces and sensitive host paths (node agents) */
  allowedHostImages: names.optional(),
  /** more host paths to treat as sensitive (audit/sensitive-host-mount) */
  sensitiveHostPaths: names.optional(),
  /** pods created by users in these namespaces are reported (audit/kube-system-pod) */
  kubeSystemPods: z
    .strictObject({
      /** the namespaces watched (default kube-system, kube-public): replaces the default */
      namespaces: names.optional(),
      /** who may create pods there besides the control plane */
      allowedUsers: subjects.optional(),
      /** image repositories that may be started there by anyone */
      allowedImages: names.optional(),
    })
    .optional(),
  /** `count` denials of one user within `seconds` is a burst (audit/rbac-denial-burst) */
  rbacDenialBurst: z
    .strictObject({
      count: z.number().int().min(2).max(1_000_000).optional(),
      seconds: z
        .number()
        .positive()
        .max(86_400 * 31)
        .optional(),
      /** users whose denials are not counted (probes, CI dry runs) */
      allowedUsers: subjects.optional(),
    })
    .optional(),
});

export type AuditConfig = z.infer<typeof auditConfigSchema>;

type Settings = Record<string, Record<string, unknown>>;

/** The configuration's audit section as per-rule settings (`ctx.settings` by rule id). */
export function auditRuleSettings(cfg: AuditConfig = {}): Settings {
  const out: Settings = {};
  const set = (rule: string, key: string, value: unknown) => {
    if (value === undefined) return;
    (out[rule] ??= {})[key] = value;
  };
  const plus = (base: readonly string[], extra?: readonly string[]) =>
    extra ? [...base, ...extra] : undefined;
  set('audit/secret-access', 'allowedUsers', plus(DEFAULT_SECRET_READERS, cfg.allowedSecretReaders));
  set('audit/pod-exec', 'allowedUsers', cfg.allowedExecUsers);
  set('audit/sa-token-created', 'allowedUsers', plus(DEFAULT_TOKEN_MINTERS, cfg.allowedTokenCreators));
  set('audit/privileged-pod', 'allowedImages', cfg.allowedPrivilegedImages);
  set('audit/host-namespace-pod', 'allowedImages', cfg.allowedHostImages);
  set('audit/sensitive-host-mount', 'allowedImages', cfg.allowedHostImages);
  set('audit/sensitive-host-mount', 'paths', plus(SENSITIVE_HOST_PATHS, cfg.sensitiveHostPaths));
  set('audit/kube-system-pod', 'namespaces', cfg.kubeSystemPods?.namespaces);
  set('audit/kube-system-pod', 'allowedUsers', cfg.kubeSystemPods?.allowedUsers);
  set('audit/kube-system-pod', 'allowedImages', cfg.kubeSystemPods?.allowedImages);
  set('audit/rbac-denial-burst', 'threshold', cfg.rbacDenialBurst?.count);
  set('audit/rbac-denial-burst', 'windowSeconds', cfg.rbacDenialBurst?.seconds);
  set('audit/rbac-denial-burst', 'allowedUsers', cfg.rbacDenialBurst?.allowedUsers);
  return out;
}
