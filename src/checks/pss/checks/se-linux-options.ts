import { containers, joinQuote, obj, pluralize, podSecurityContext, sortedUnique, str } from '../helpers.js';
import type { CheckFn, FieldPath, PssCheck } from '../types.js';

const TYPES_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
// 1.31 allowed the type container engines (podman, buildah in a pod) run under
const TYPES_1_31 = new Set([...TYPES_1_0, 'container_engine_t']);

function seLinux(allowed: ReadonlySet<string>): CheckFn {
  return (pod) => {
    const setters: string[] = [];
    const badTypes: string[] = [];
    const paths: FieldPath[] = [];
    let setUser = false;
    let setRole = false;
    const valid = (o: Record<string, unknown>, base: FieldPath): boolean => {
      let ok = true;
      const t = str(o.type);
      if (!allowed.has(t)) {
        ok = false;
        badTypes.push(t);
        paths.push([...base, 'type']);
      }
      if (str(o.user).length > 0) {
        ok = false;
        setUser = true;
        paths.push([...base, 'user']);
      }
      if (str(o.role).length > 0) {
        ok = false;
        setRole = true;
        paths.push([...base, 'role']);
      }
      return ok;
    };
    const podOpts = obj(podSecurityContext(pod)?.seLinuxOptions);
    if (podOpts && !valid(podOpts, ['spec', 'securityContext', 'seLinuxOptions'])) setters.push('pod');
    const bad: string[] = [];
    for (const v of containers(pod)) {
      const o = obj(v.sc?.seLinuxOptions);
      if (o && !valid(o, [...v.path, 'securityContext', 'seLinuxOptions'])) bad.push(v.name);
    }
    if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
    if (setters.length === 0) return undefined;
    const data: string[] = [];
    const types = sortedUnique(badTypes);
    if (types.length > 0) data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return {
      reason: 'seLinuxOptions',
      detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`,
      paths,
    };
  };
}

export const seLinuxOptions: PssCheck = {
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { minor: 0, check: seLinux(TYPES_1_0) },
    { minor: 31, check: seLinux(TYPES_1_31) },
  ],
};
