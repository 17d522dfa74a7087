import { BulwarkError } from '../../../core/errors.js';
import { parseKubernetesFile } from '../../kubernetes/parse.js';
import type { K8sObject } from '../../kubernetes/types.js';
import type { ParsedFile, RuleFamily } from '../../types.js';
import defaultNamespace from './default-namespace.js';
import hostPathRuntimeSocket from './host-path-runtime-socket.js';
import imageLatestTag from './image-latest-tag.js';
import imageNotPinnedByDigest from './image-not-pinned-by-digest.js';
import ingressWithoutTls from './ingress-without-tls.js';
import pssAllowPrivilegeEscalation from './pss-allow-privilege-escalation.js';
import pssAppArmorProfile from './pss-app-armor-profile.js';
import pssCapabilitiesBaseline from './pss-capabilities-baseline.js';
import pssCapabilitiesRestricted from './pss-capabilities-restricted.js';
import pssHostNamespaces from './pss-host-namespaces.js';
import pssHostPathVolumes from './pss-host-path-volumes.js';
import pssHostPorts from './pss-host-ports.js';
import pssHostProbesAndHostLifecycle from './pss-host-probes-and-host-lifecycle.js';
import pssPrivileged from './pss-privileged.js';
import pssProcMount from './pss-proc-mount.js';
import pssProcMountRestricted from './pss-proc-mount-restricted.js';
import pssRestrictedVolumes from './pss-restricted-volumes.js';
import pssRunAsNonRoot from './pss-run-as-non-root.js';
import pssRunAsUser from './pss-run-as-user.js';
import pssSeLinuxOptions from './pss-se-linux-options.js';
import pssSeccompProfileBaseline from './pss-seccomp-profile-baseline.js';
import pssSeccompProfileRestricted from './pss-seccomp-profile-restricted.js';
import pssSysctls from './pss-sysctls.js';
import pssWindowsHostProcess from './pss-windows-host-process.js';
import rbacClusterAdminBinding from './rbac-cluster-admin-binding.js';
import rbacWildcard from './rbac-wildcard.js';
import readOnlyRootFilesystem from './read-only-root-filesystem.js';
import resourcesMissing from './resources-missing.js';
import secretEnvLiteral from './secret-env-literal.js';
import serviceAccountTokenAutomount from './service-account-token-automount.js';
import serviceExposed from './service-exposed.js';

/** Kubernetes rules, sorted by id. */
export const rules = [
  defaultNamespace,
  hostPathRuntimeSocket,
  imageLatestTag,
  imageNotPinnedByDigest,
  ingressWithoutTls,
  pssAllowPrivilegeEscalation,
  pssAppArmorProfile,
  pssCapabilitiesBaseline,
  pssCapabilitiesRestricted,
  pssHostNamespaces,
  pssHostPathVolumes,
  pssHostPorts,
  pssHostProbesAndHostLifecycle,
  pssPrivileged,
  pssProcMount,
  pssProcMountRestricted,
  pssRestrictedVolumes,
  pssRunAsNonRoot,
  pssRunAsUser,
  pssSeLinuxOptions,
  pssSeccompProfileBaseline,
  pssSeccompProfileRestricted,
  pssSysctls,
  pssWindowsHostProcess,
  rbacClusterAdminBinding,
  rbacWildcard,
  readOnlyRootFilesystem,
  resourcesMissing,
  secretEnvLiteral,
  serviceAccountTokenAutomount,
  serviceExposed,
];

export function parseKubernetesInput(text: string, file: string): ParsedFile<K8sObject> {
  const { objects, errors } = parseKubernetesFile(text, file);
  // a file whose every document is broken is an error; otherwise check what could be read
  const first = errors[0];
  if (first && objects.length === 0)
    throw new BulwarkError(
      first.code,
      `document ${first.document + 1}${first.line ? ` line ${first.line}` : ''}: ${first.message}`,
      { input: file },
    );
  return { inputs: objects.map((o) => ({ input: o, object: o.label })) };
}

// a key at a line start (YAML) or after `{`/`,` (JSON, minified or not)
const API_VERSION = /(^|[{,])\s*"?apiVersion"?\s*:/m;
const KIND = /(^|[{,])\s*"?kind"?\s*:/m;

export const family: RuleFamily<K8sObject> = {
  name: 'kubernetes',
  target: 'kubernetes',
  matchName: (base) => (/\.(ya?ml|json)$/i.test(base) ? 'maybe' : 'no'),
  // every Kubernetes object names its apiVersion and kind
  matchContent: (text) => API_VERSION.test(text) && KIND.test(text),
  parse: parseKubernetesInput,
  rules,
};
