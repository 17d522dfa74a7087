import { containers, joinQuote, pluralize } from '../helpers.js';
import type { PssCheck } from '../types.js';

export const privileged: PssCheck = {
  id: 'privileged',
  level: 'baseline',
  versions: [
    {
      minor: 0,
      check(pod) {
        const bad = containers(pod).filter((v) => v.sc?.privileged === true);
        if (bad.length === 0) return undefined;
        return {
          reason: 'privileged',
          detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad.map((b) => b.name))} must not set securityContext.privileged=true`,
          paths: bad.map((b) => [...b.path, 'securityContext', 'privileged']),
        };
      },
    },
  ],
};
