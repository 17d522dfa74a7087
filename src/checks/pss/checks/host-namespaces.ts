import { spec } from '../helpers.js';
import type { FieldPath, PssCheck } from '../types.js';

export const hostNamespaces: PssCheck = {
  id: 'hostNamespaces',
  level: 'baseline',
  versions: [
    {
      minor: 0,
      check(pod) {
        const s = spec(pod);
        const found: string[] = [];
        const paths: FieldPath[] = [];
        for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
          if (s[key] === true) {
            found.push(`${key}=true`);
            paths.push(['spec', key]);
          }
        }
        if (found.length === 0) return undefined;
        return { reason: 'host namespaces', detail: found.join(', '), paths };
      },
    },
  ],
};
