import { containers, hostUsersFalse, joinQuote, pluralize, podSecurityContext } from '../helpers.js';
import type { CheckFn, FieldPath, PssCheck } from '../types.js';

const asUser: CheckFn = (pod) => {
  const setters: string[] = [];
  const paths: FieldPath[] = [];
  if (podSecurityContext(pod)?.runAsUser === 0) {
    setters.push('pod');
    paths.push(['spec', 'securityContext', 'runAsUser']);
  }
  const bad = containers(pod).filter((v) => v.sc?.runAsUser === 0);
  if (bad.length > 0) {
    setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad.map((b) => b.name))}`);
    for (const b of bad) paths.push([...b.path, 'securityContext', 'runAsUser']);
  }
  if (setters.length === 0) return undefined;
  return { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0`, paths };
};

export const runAsUser: PssCheck = {
  id: 'runAsUser',
  level: 'restricted',
  versions: [
    { minor: 23, check: asUser },
    // 1.35: a pod in a user namespace (hostUsers: false) maps uid 0 to an unprivileged host uid
    { minor: 35, check: (pod) => (hostUsersFalse(pod) ? undefined : asUser(pod)) },
  ],
};
