import { arr, isSet, joinQuote, obj, pluralize, spec, str } from '../helpers.js';
import type { FieldPath, PssCheck } from '../types.js';

export const hostPathVolumes: PssCheck = {
  id: 'hostPathVolumes',
  level: 'baseline',
  versions: [
    {
      minor: 0,
      check(pod) {
        const names: string[] = [];
        const paths: FieldPath[] = [];
        arr(spec(pod).volumes).forEach((raw, i) => {
          const v = obj(raw);
          if (v && isSet(v.hostPath)) {
            names.push(str(v.name));
            paths.push(['spec', 'volumes', i, 'hostPath']);
          }
        });
        if (names.length === 0) return undefined;
        return {
          reason: 'hostPath volumes',
          detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`,
          paths,
        };
      },
    },
  ],
};
