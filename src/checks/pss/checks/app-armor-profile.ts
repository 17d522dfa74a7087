import { containers, joinQuote, obj, pluralize, podSecurityContext, sortedUnique, str } from '../helpers.js';
import type { FieldPath, PssCheck } from '../types.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotation(v: string): boolean {
  return v === '' || v === 'runtime/default' || v.startsWith('localhost/');
}

function allowedType(t: unknown): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

export const appArmorProfile: PssCheck = {
  id: 'appArmorProfile',
  level: 'baseline',
  versions: [
    {
      minor: 0,
      check(pod) {
        const setters: string[] = [];
        const badValues: string[] = [];
        const paths: FieldPath[] = [];
        const podProfile = obj(podSecurityContext(pod)?.appArmorProfile);
        if (podProfile && !allowedType(podProfile.type)) {
          setters.push('pod');
          badValues.push(str(podProfile.type));
          paths.push(['spec', 'securityContext', 'appArmorProfile', 'type']);
        }
        const bad: string[] = [];
        for (const v of containers(pod)) {
          const p = obj(v.sc?.appArmorProfile);
          if (p && !allowedType(p.type)) {
            bad.push(v.name);
            badValues.push(str(p.type));
            paths.push([...v.path, 'securityContext', 'appArmorProfile', 'type']);
          }
        }
        if (bad.length > 0)
          setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
        const annotations: string[] = [];
        for (const [k, raw] of Object.entries(obj(pod.metadata?.annotations) ?? {})) {
          const v = str(raw);
          if (k.startsWith(ANNOTATION_PREFIX) && !allowedAnnotation(v)) {
            annotations.push(`${k}=${JSON.stringify(v)}`);
            paths.push(['metadata', 'annotations', k]);
          }
        }
        annotations.sort();
        const values = [...sortedUnique(badValues), ...annotations];
        if (annotations.length > 0) setters.push(pluralize('annotation', 'annotations', annotations.length));
        if (setters.length === 0) return undefined;
        return {
          reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length),
          detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`,
          paths,
        };
      },
    },
  ],
};
