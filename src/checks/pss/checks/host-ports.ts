import { arr, containers, joinQuote, obj, pluralize } from '../helpers.js';
import type { FieldPath, PssCheck } from '../types.js';

export const hostPorts: PssCheck = {
  id: 'hostPorts',
  level: 'baseline',
  versions: [
    {
      minor: 0,
      check(pod) {
        const bad: string[] = [];
        const ports = new Set<number>();
        const paths: FieldPath[] = [];
        for (const v of containers(pod)) {
          let found = false;
          arr(v.c.ports).forEach((raw, i) => {
            const hp = obj(raw)?.hostPort;
            if (typeof hp === 'number' && hp !== 0) {
              found = true;
              ports.add(hp);
              paths.push([...v.path, 'ports', i, 'hostPort']);
            }
          });
          if (found) bad.push(v.name);
        }
        if (bad.length === 0) return undefined;
        // PSA sorts the ports as strings (sets.String), not as numbers
        const list = [...ports].map(String).sort();
        return {
          reason: 'hostPort',
          detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
          paths,
        };
      },
    },
  ],
};
