import { parseHostFacts } from '../../host/parse.js';
import type { HostFacts } from '../../host/facts.js';
import type { RuleFamily } from '../../types.js';
import aufsStorage from './aufs-storage.js';
import authorizationPlugin from './authorization-plugin.js';
import daemonVersion from './daemon-version.js';
import defaultUlimits from './default-ulimits.js';
import experimental from './experimental.js';
import icc from './icc.js';
import insecureRegistries from './insecure-registries.js';
import iptablesDisabled from './iptables-disabled.js';
import liveRestore from './live-restore.js';
import logDriver from './log-driver.js';
import logLevel from './log-level.js';
import noMac from './no-mac.js';
import noNewPrivileges from './no-new-privileges.js';
import rootfulDaemon from './rootful-daemon.js';
import seccompProfile from './seccomp-profile.js';
import swarmActive from './swarm-active.js';
import tlsMissing from './tls-missing.js';
import userlandProxy from './userland-proxy.js';
import usernsRemap from './userns-remap.js';

/** daemon rules, sorted by id. */
export const rules = [
  aufsStorage,
  authorizationPlugin,
  daemonVersion,
  defaultUlimits,
  experimental,
  icc,
  insecureRegistries,
  iptablesDisabled,
  liveRestore,
  logDriver,
  logLevel,
  noMac,
  noNewPrivileges,
  rootfulDaemon,
  seccompProfile,
  swarmActive,
  tlsMissing,
  userlandProxy,
  usernsRemap,
];

export const family: RuleFamily<HostFacts> = {
  name: 'daemon',
  target: 'daemon',
  // a host is many files and a daemon, not one file: `bulwark host` gathers the facts and runs this family
  matchName: () => 'no',
  matchContent: () => false,
  parse: parseHostFacts,
  rules,
};
