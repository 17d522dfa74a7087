import { parseInspectInput, type ContainerInput } from '../../docker/inspect.js';
import type { RuleFamily } from '../../types.js';
import apparmorUnconfined from './apparmor-unconfined.js';
import capAdd from './cap-add.js';
import capAddCritical from './cap-add-critical.js';
import capAddHigh from './cap-add-high.js';
import cgroupnsHost from './cgroupns-host.js';
import cpuLimit from './cpu-limit.js';
import defaultBridge from './default-bridge.js';
import devices from './devices.js';
import dockerSocket from './docker-socket.js';
import hostIpc from './host-ipc.js';
import hostNetwork from './host-network.js';
import hostPid from './host-pid.js';
import hostUts from './host-uts.js';
import memoryLimit from './memory-limit.js';
import mountPropagationShared from './mount-propagation-shared.js';
import noHealthcheck from './no-healthcheck.js';
import noNewPrivilegesMissing from './no-new-privileges-missing.js';
import pidsLimit from './pids-limit.js';
import portsAllInterfaces from './ports-all-interfaces.js';
import privileged from './privileged.js';
import privilegedPort from './privileged-port.js';
import restartPolicy from './restart-policy.js';
import rootUser from './root-user.js';
import rootfsWritable from './rootfs-writable.js';
import seccompUnconfined from './seccomp-unconfined.js';
import selinuxDisabled from './selinux-disabled.js';
import sensitiveHostMount from './sensitive-host-mount.js';
import ulimitsOverride from './ulimits-override.js';
import usernsHost from './userns-host.js';

/** container rules (CIS Docker Benchmark v1.6 section 5), sorted by id. */
export const rules = [
  apparmorUnconfined,
  capAdd,
  capAddCritical,
  capAddHigh,
  cgroupnsHost,
  cpuLimit,
  defaultBridge,
  devices,
  dockerSocket,
  hostIpc,
  hostNetwork,
  hostPid,
  hostUts,
  memoryLimit,
  mountPropagationShared,
  noHealthcheck,
  noNewPrivilegesMissing,
  pidsLimit,
  portsAllInterfaces,
  privileged,
  privilegedPort,
  restartPolicy,
  rootUser,
  rootfsWritable,
  seccompUnconfined,
  selinuxDisabled,
  sensitiveHostMount,
  ulimitsOverride,
  usernsHost,
];

export { parseInspectInput };

export const family: RuleFamily<ContainerInput> = {
  name: 'container',
  target: 'container',
  // inspect output has no conventional file name: only files named on the command line are sniffed
  matchName: () => 'no',
  matchContent: (text) => /^\s*[[{]/.test(text) && text.includes('"HostConfig"') && text.includes('"Id"'),
  parse: parseInspectInput,
  rules,
};
