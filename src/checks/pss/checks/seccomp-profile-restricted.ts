import {
  containers,
  isWindowsPod,
  joinQuote,
  obj,
  pluralize,
  podSecurityContext,
  sortedUnique,
  str,
} from '../helpers.js';
import type { CheckFn, FieldPath, PssCheck } from '../types.js';

function valid(t: unknown): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

const seccompRestricted: CheckFn = (pod) => {
  const setters: string[] = [];
  const values: string[] = [];
  const paths: FieldPath[] = [];
  let podSet = false;
  const podProfile = obj(podSecurityContext(pod)?.seccompProfile);
  if (podProfile) {
    if (!valid(podProfile.type)) {
      setters.push('pod');
      values.push(str(podProfile.type));
      paths.push(['spec', 'securityContext', 'seccompProfile', 'type']);
    } else podSet = true;
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  const implicitPaths: FieldPath[] = [];
  for (const v of containers(pod)) {
    const p = obj(v.sc?.seccompProfile);
    if (p) {
      if (!valid(p.type)) {
        explicit.push(v.name);
        values.push(str(p.type));
        paths.push([...v.path, 'securityContext', 'seccompProfile', 'type']);
      }
    } else if (!podSet) {
      implicit.push(v.name);
      implicitPaths.push(v.sc ? [...v.path, 'securityContext'] : v.path);
    }
  }
  if (explicit.length > 0)
    setters.push(`${pluralize('container', 'containers', explicit.length)} ${joinQuote(explicit)}`);
  if (setters.length > 0)
    return {
      reason: 'seccompProfile',
      detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(values))}`,
      paths,
    };
  if (implicit.length > 0)
    return {
      reason: 'seccompProfile',
      detail: `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      paths: implicitPaths,
    };
  return undefined;
};

export const seccompProfileRestricted: PssCheck = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    { minor: 19, check: seccompRestricted, overrides: ['seccompProfile_baseline'] },
    {
      minor: 25,
      check: (pod) => (isWindowsPod(pod) ? undefined : seccompRestricted(pod)),
      overrides: ['seccompProfile_baseline'],
    },
  ],
};
