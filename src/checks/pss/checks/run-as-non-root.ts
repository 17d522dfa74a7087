import { containers, hostUsersFalse, joinQuote, pluralize, podSecurityContext } from '../helpers.js';
import type { CheckFn, FieldPath, PssCheck } from '../types.js';

const nonRoot: CheckFn = (pod) => {
  const setters: string[] = [];
  const paths: FieldPath[] = [];
  const podValue = podSecurityContext(pod)?.runAsNonRoot;
  let podNonRoot = false;
  if (podValue !== undefined && podValue !== null) {
    if (podValue !== true) {
      setters.push('pod');
      paths.push(['spec', 'securityContext', 'runAsNonRoot']);
    } else podNonRoot = true;
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  const implicitPaths: FieldPath[] = [];
  for (const v of containers(pod)) {
    const value = v.sc?.runAsNonRoot;
    if (value !== undefined && value !== null) {
      if (value !== true) {
        explicit.push(v.name);
        paths.push([...v.path, 'securityContext', 'runAsNonRoot']);
      }
    } else if (!podNonRoot) {
      implicit.push(v.name);
      implicitPaths.push(v.sc ? [...v.path, 'securityContext'] : v.path);
    }
  }
  if (explicit.length > 0)
    setters.push(`${pluralize('container', 'containers', explicit.length)} ${joinQuote(explicit)}`);
  if (setters.length > 0)
    return {
      reason: 'runAsNonRoot != true',
      detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`,
      paths,
    };
  if (implicit.length > 0)
    return {
      reason: 'runAsNonRoot != true',
      detail: `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit)} must set securityContext.runAsNonRoot=true`,
      paths: implicitPaths,
    };
  return undefined;
};

export const runAsNonRoot: PssCheck = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    { minor: 0, check: nonRoot },
    // 1.35: a pod in a user namespace (hostUsers: false) maps uid 0 to an unprivileged host uid
    { minor: 35, check: (pod) => (hostUsersFalse(pod) ? undefined : nonRoot(pod)) },
  ],
};
