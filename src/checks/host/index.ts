export {
  auditWatches,
  collectHostFacts,
  splitWords,
  type CollectOptions,
  type HostWarning,
} from './collect.js';
export { daemonSetting, parseDaemonArgs, type DaemonSetting } from './daemon-settings.js';
export type { CommandLine, FileFact, HostFacts } from './facts.js';
export { parseHostFacts } from './parse.js';
export { checkHost, checkHostFacts } from './scan.js';
