import { parseHostFacts } from '../../host/parse.js';
import type { HostFacts } from '../../host/facts.js';
import type { RuleFamily } from '../../types.js';
import auditRules from './audit-rules.js';
import dockerGroup from './docker-group.js';
import fileOwnership from './file-ownership.js';
import filePermissions from './file-permissions.js';
import separatePartition from './separate-partition.js';

/** host rules, sorted by id. */
export const rules = [auditRules, dockerGroup, fileOwnership, filePermissions, separatePartition];

export const family: RuleFamily<HostFacts> = {
  name: 'host',
  target: 'host',
  // a host is many files and a daemon, not one file: `bulwark host` gathers the facts and runs this family
  matchName: () => 'no',
  matchContent: () => false,
  parse: parseHostFacts,
  rules,
};
