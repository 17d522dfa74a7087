import { containers, joinQuote, obj, pluralize, podSecurityContext, sortedUnique, str } from '../helpers.js';
import type { FieldPath, PssCheck } from '../types.js';

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

export const seccompProfileBaseline: PssCheck = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  versions: [
    {
      // before 1.19 seccomp was set only through the alpha annotations
      minor: 0,
      check(pod) {
        const forbidden: string[] = [];
        const paths: FieldPath[] = [];
        const annotations = obj(pod.metadata?.annotations) ?? {};
        for (const [k, raw] of Object.entries(annotations)) {
          const v = str(raw);
          if ((k === POD_ANNOTATION || k.startsWith(CONTAINER_ANNOTATION_PREFIX)) && v === 'unconfined') {
            forbidden.push(`${k}=${JSON.stringify(v)}`);
            paths.push(['metadata', 'annotations', k]);
          }
        }
        if (forbidden.length === 0) return undefined;
        forbidden.sort();
        return {
          reason: pluralize('seccompProfile', 'seccompProfiles', forbidden.length),
          detail: forbidden.join(', '),
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
        if (podProfile && podProfile.type === 'Unconfined') {
          setters.push('pod');
          values.push('Unconfined');
          paths.push(['spec', 'securityContext', 'seccompProfile', 'type']);
        }
        const bad: string[] = [];
        for (const v of containers(pod)) {
          const p = obj(v.sc?.seccompProfile);
          if (p && p.type === 'Unconfined') {
            bad.push(v.name);
            values.push('Unconfined');
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
