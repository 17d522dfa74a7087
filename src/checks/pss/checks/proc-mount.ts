import { containers, hostUsersFalse, joinQuote, pluralize, sortedUnique, str } from '../helpers.js';
import type { CheckFn, FieldPath, PssCheck } from '../types.js';

const strictProcMount: CheckFn = (pod) => {
  const bad: string[] = [];
  const types: string[] = [];
  const paths: FieldPath[] = [];
  for (const v of containers(pod)) {
    const pm = v.sc?.procMount;
    if (pm === undefined || pm === null || pm === 'Default') continue;
    bad.push(v.name);
    types.push(str(pm));
    paths.push([...v.path, 'securityContext', 'procMount']);
  }
  if (bad.length === 0) return undefined;
  return {
    reason: 'procMount',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.procMount to ${joinQuote(sortedUnique(types))}`,
    paths,
  };
};

/**
 * From 1.35 a pod in a user namespace (`hostUsers: false`) may unmask /proc under baseline,
 * since its root is not the host's root. (PSA's development branch renames this check
 * `procMount_baseline`; released PSA up to 1.37 calls it `procMount`.)
 */
export const procMountBaseline: PssCheck = {
  id: 'procMount',
  level: 'baseline',
  versions: [
    { minor: 0, check: strictProcMount },
    { minor: 35, check: (pod) => (hostUsersFalse(pod) ? undefined : strictProcMount(pod)) },
  ],
};

/** Restricted keeps the default /proc masks even in user namespaces. */
export const procMountRestricted: PssCheck = {
  id: 'procMount_restricted',
  level: 'restricted',
  versions: [{ minor: 35, check: strictProcMount, overrides: ['procMount'] }],
};
