import { arr, containers, isWindowsPod, joinQuote, obj, pluralize, sortedUnique } from '../helpers.js';
import type { CheckFn, FieldPath, PssCheck } from '../types.js';

const capsRestricted: CheckFn = (pod) => {
  const missingDrop: string[] = [];
  const adding: string[] = [];
  const caps: string[] = [];
  const paths: FieldPath[] = [];
  for (const v of containers(pod)) {
    const c = obj(v.sc?.capabilities);
    if (!c) {
      missingDrop.push(v.name);
      paths.push(v.sc ? [...v.path, 'securityContext'] : v.path);
      continue;
    }
    if (!arr(c.drop).some((d) => d === 'ALL')) {
      missingDrop.push(v.name);
      paths.push([...v.path, 'securityContext', 'capabilities']);
    }
    let bad = false;
    arr(c.add).forEach((a, i) => {
      if (a !== 'NET_BIND_SERVICE') {
        bad = true;
        caps.push(String(a));
        paths.push([...v.path, 'securityContext', 'capabilities', 'add', i]);
      }
    });
    if (bad) adding.push(v.name);
  }
  const details: string[] = [];
  if (missingDrop.length > 0)
    details.push(
      `${pluralize('container', 'containers', missingDrop.length)} ${joinQuote(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`,
    );
  if (adding.length > 0)
    details.push(
      `${pluralize('container', 'containers', adding.length)} ${joinQuote(adding)} must not include ${joinQuote(sortedUnique(caps))} in securityContext.capabilities.add`,
    );
  if (details.length === 0) return undefined;
  return { reason: 'unrestricted capabilities', detail: details.join('; '), paths };
};

export const capabilitiesRestricted: PssCheck = {
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    { minor: 22, check: capsRestricted, overrides: ['capabilities_baseline'] },
    {
      minor: 25,
      check: (pod) => (isWindowsPod(pod) ? undefined : capsRestricted(pod)),
      overrides: ['capabilities_baseline'],
    },
  ],
};
