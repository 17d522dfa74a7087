import { arr, containers, joinQuote, obj, pluralize, sortedUnique } from '../helpers.js';
import type { FieldPath, PssCheck } from '../types.js';

/** The container runtime's default capability set; adding anything else needs privileged. */
export const DEFAULT_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

export const capabilitiesBaseline: PssCheck = {
  id: 'capabilities_baseline',
  level: 'baseline',
  versions: [
    {
      minor: 0,
      check(pod) {
        const bad: string[] = [];
        const caps: string[] = [];
        const paths: FieldPath[] = [];
        for (const v of containers(pod)) {
          let ok = true;
          arr(obj(v.sc?.capabilities)?.add).forEach((c, i) => {
            const name = String(c);
            if (!DEFAULT_CAPABILITIES.has(name)) {
              ok = false;
              caps.push(name);
              paths.push([...v.path, 'securityContext', 'capabilities', 'add', i]);
            }
          });
          if (!ok) bad.push(v.name);
        }
        if (bad.length === 0) return undefined;
        return {
          reason: 'non-default capabilities',
          detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not include ${joinQuote(sortedUnique(caps))} in securityContext.capabilities.add`,
          paths,
        };
      },
    },
  ],
};
