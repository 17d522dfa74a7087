import { parseCompose, type ComposeFile } from '../../compose/parse.js';
import type { ParsedFile, RuleFamily } from '../../types.js';
import capAdd from './cap-add.js';
import capDropAll from './cap-drop-all.js';
import capSysAdmin from './cap-sys-admin.js';
import devices from './devices.js';
import dockerSocket from './docker-socket.js';
import hostNamespaces from './host-namespaces.js';
import latestTag from './latest-tag.js';
import noNewPrivilegesMissing from './no-new-privileges-missing.js';
import noReadOnly from './no-read-only.js';
import noResourceLimits from './no-resource-limits.js';
import noUser from './no-user.js';
import portsAllInterfaces from './ports-all-interfaces.js';
import privileged from './privileged.js';
import secretsInEnvironment from './secrets-in-environment.js';
import securityOptUnconfined from './security-opt-unconfined.js';
import sensitiveHostMount from './sensitive-host-mount.js';

/** compose rules, sorted by id. */
export const rules = [
  capAdd,
  capDropAll,
  capSysAdmin,
  devices,
  dockerSocket,
  hostNamespaces,
  latestTag,
  noNewPrivilegesMissing,
  noReadOnly,
  noResourceLimits,
  noUser,
  portsAllInterfaces,
  privileged,
  secretsInEnvironment,
  securityOptUnconfined,
  sensitiveHostMount,
];

const NAME = /^(docker-)?compose([._-][^/]*)?\.ya?ml$/i;

export function parseComposeInput(text: string, file: string): ParsedFile<ComposeFile> {
  return { inputs: [{ input: parseCompose(text, file) }] };
}

export const family: RuleFamily<ComposeFile> = {
  name: 'compose',
  target: 'compose',
  matchName: (base) => (NAME.test(base) ? 'yes' : /\.ya?ml$/i.test(base) ? 'maybe' : 'no'),
  // a top-level `services:` map; Kubernetes manifests have apiVersion/kind instead
  matchContent: (text) => /^services:\s*(#.*)?$/m.test(text) && !/^apiVersion:/m.test(text),
  parse: parseComposeInput,
  rules,
};
