import { containers, joinQuote, obj, pluralize, podSecurityContext } from '../helpers.js';
import type { FieldPath, PssCheck } from '../types.js';

export const windowsHostProcess: PssCheck = {
  id: 'windowsHostProcess',
  level: 'baseline',
  versions: [
    {
      minor: 0,
      check(pod) {
        const setters: string[] = [];
        const paths: FieldPath[] = [];
        if (obj(podSecurityContext(pod)?.windowsOptions)?.hostProcess === true) {
          setters.push('pod');
          paths.push(['spec', 'securityContext', 'windowsOptions', 'hostProcess']);
        }
        const bad = containers(pod).filter((v) => obj(v.sc?.windowsOptions)?.hostProcess === true);
        if (bad.length > 0) {
          setters.push(
            `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad.map((b) => b.name))}`,
          );
          for (const b of bad) paths.push([...b.path, 'securityContext', 'windowsOptions', 'hostProcess']);
        }
        if (setters.length === 0) return undefined;
        return {
          reason: 'hostProcess',
          detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`,
          paths,
        };
      },
    },
  ],
};
