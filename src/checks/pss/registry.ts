import { allowPrivilegeEscalation } from './checks/allow-privilege-escalation.js';
import { appArmorProfile } from './checks/app-armor-profile.js';
import { capabilitiesBaseline } from './checks/capabilities-baseline.js';
import { capabilitiesRestricted } from './checks/capabilities-restricted.js';
import { hostNamespaces } from './checks/host-namespaces.js';
import { hostPathVolumes } from './checks/host-path-volumes.js';
import { hostPorts } from './checks/host-ports.js';
import { hostProbesAndHostLifecycle } from './checks/host-probes-and-host-lifecycle.js';
import { privileged } from './checks/privileged.js';
import { procMountBaseline, procMountRestricted } from './checks/proc-mount.js';
import { restrictedVolumes } from './checks/restricted-volumes.js';
import { runAsNonRoot } from './checks/run-as-non-root.js';
import { runAsUser } from './checks/run-as-user.js';
import { seccompProfileBaseline } from './checks/seccomp-profile-baseline.js';
import { seccompProfileRestricted } from './checks/seccomp-profile-restricted.js';
import { seLinuxOptions } from './checks/se-linux-options.js';
import { sysctls } from './checks/sysctls.js';
import { windowsHostProcess } from './checks/windows-host-process.js';
import type { PssCheck, PssLevel, VersionedCheck } from './types.js';

/** Every check Pod Security Admission registers, by its own id. */
export const PSS_CHECKS: readonly PssCheck[] = [
  appArmorProfile,
  capabilitiesBaseline,
  hostNamespaces,
  hostPathVolumes,
  hostPorts,
  hostProbesAndHostLifecycle,
  privileged,
  procMountBaseline,
  seLinuxOptions,
  seccompProfileBaseline,
  sysctls,
  windowsHostProcess,
  allowPrivilegeEscalation,
  capabilitiesRestricted,
  procMountRestricted,
  restrictedVolumes,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
];

/** The newest policy version any check defines; `latest` and newer versions evaluate as this. */
export const LATEST_MINOR = Math.max(...PSS_CHECKS.flatMap((c) => c.versions.map((v) => v.minor)));

/** PSA's ordering: baseline ids sorted, then restricted ids sorted (stable messages). */
const ORDER = [
  ...PSS_CHECKS.filter((c) => c.level === 'baseline')
    .map((c) => c.id)
    .sort(),
  ...PSS_CHECKS.filter((c) => c.level === 'restricted')
    .map((c) => c.id)
    .sort(),
];

/** The behaviour of one check at one minor version, or undefined before the check existed. */
export function versionOf(check: PssCheck, minor: number): VersionedCheck | undefined {
  let found: VersionedCheck | undefined;
  for (const v of check.versions) if (v.minor <= minor) found = v;
  return found;
}

export interface ActiveCheck {
  id: string;
  level: PssLevel;
  versioned: VersionedCheck;
}

const cache = new Map<string, ActiveCheck[]>();

/**
 * The checks PSA runs for a level and minor version: restricted runs every baseline check the
 * restricted checks of that version do not override (capabilities_restricted replaces
 * capabilities_baseline from 1.22, for example).
 */
export function activeChecks(level: PssLevel, minor: number): ActiveCheck[] {
  const key = `${level}/${minor}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const byId = new Map<string, ActiveCheck>();
  for (const c of PSS_CHECKS) {
    if (level === 'baseline' && c.level !== 'baseline') continue;
    const v = versionOf(c, minor);
    if (v) byId.set(c.id, { id: c.id, level: c.level, versioned: v });
  }
  if (level === 'restricted')
    for (const c of [...byId.values()])
      if (c.level === 'restricted') for (const o of c.versioned.overrides ?? []) byId.delete(o);
  const out = ORDER.map((id) => byId.get(id)).filter((c): c is ActiveCheck => c !== undefined);
  cache.set(key, out);
  return out;
}

/** Which restricted check replaces a baseline check at a level and version, if any. */
export function overriddenBy(id: string, level: PssLevel, minor: number): string | undefined {
  if (level !== 'restricted') return undefined;
  for (const c of activeChecks(level, minor)) if (c.versioned.overrides?.includes(id)) return c.id;
  return undefined;
}
