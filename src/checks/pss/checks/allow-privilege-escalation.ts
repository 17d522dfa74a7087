import { containers, isWindowsPod, joinQuote, pluralize } from '../helpers.js';
import type { CheckFn, PssCheck } from '../types.js';

const ape: CheckFn = (pod) => {
  const bad = containers(pod).filter((v) => v.sc?.allowPrivilegeEscalation !== false);
  if (bad.length === 0) return undefined;
  return {
    reason: 'allowPrivilegeEscalation != false',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad.map((b) => b.name))} must set securityContext.allowPrivilegeEscalation=false`,
    paths: bad.map((b) =>
      b.sc?.allowPrivilegeEscalation === undefined
        ? b.sc
          ? [...b.path, 'securityContext']
          : b.path
        : [...b.path, 'securityContext', 'allowPrivilegeEscalation'],
    ),
  };
};

export const allowPrivilegeEscalation: PssCheck = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    { minor: 8, check: ape },
    // 1.25: Windows has no setuid; pods declaring spec.os.name=windows are exempt
    { minor: 25, check: (pod) => (isWindowsPod(pod) ? undefined : ape(pod)) },
  ],
};
