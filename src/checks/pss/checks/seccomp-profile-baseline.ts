import { containers, joinQuote, obj, pluralize, podSecurityContext, sortedUnique, str } from '../helpers.js';
import type { FieldPath, PssCheck } from '../types.js';

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

// PSA accepts only these when a type is set (the API rejects anything but these and Unconfined)
function validType(t: unknown): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

export const seccompProfileBaseline: PssCheck = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  versions: [
    {
      // before 1.19 seccomp was set only through the alpha annotations; PSA reads the pod
      // annotation and one per existing container (annotations for unknown names are ignored)
      minor: 0,
      check(pod) {
        const forbidden = new Set<string>();
        const paths: FieldPath[] = [];
        const annotations = obj(pod.metadata?.annotations) ?? {};
        const keys = [POD_ANNOTATION, ...containers(pod).map((c) => CONTAINER_ANNOTATION_PREFIX + c.name)];
        for (const k of keys) {
          if (!Object.prototype.hasOwnProperty.call(annotations, k) || annotations[k] !== 'unconfined')
            continue;
          if (!forbidden.has(`${k}="unconfined"`)) paths.push(['metadata', 'annotations', k]);
          forbidden.add(`${k}="unconfined"`);
        }
        if (forbidden.size === 0) return undefined;
        const list = [...forbidden].sort();
        return {
          reason: 'seccompProfile',
          detail: `forbidden ${pluralize('annotation', 'annotations', list.length)} ${list.join(', ')}`,
          paths,
        };
      },
    },
    {
      minor: 19,
      check(pod) {
        const setters: string[] = [];
        const values: string[] = [];
        const paths: FieldPath[] = [];
        const podProfile = obj(podSecurityContext(pod)?.seccompProfile);
        if (podProfile && !validType(podProfile.type)) {
          setters.push('pod');
          values.push(str(podProfile.type));
          paths.push(['spec', 'securityContext', 'seccompProfile', 'type']);
        }
        const bad: string[] = [];
        for (const v of containers(pod)) {
          const p = obj(v.sc?.seccompProfile);
          if (p && !validType(p.type)) {
            bad.push(v.name);
            values.push(str(p.type));
            paths.push([...v.path, 'securityContext', 'seccompProfile', 'type']);
          }
        }
        if (bad.length > 0)
          setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
        if (setters.length === 0) return undefined;
        return {
          reason: 'seccompProfile',
          detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(values))}`,
          paths,
        };
      },
    },
  ],
};
