import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/host-namespaces',
    aliases: [
      'CIS-Docker-5.10',
      'CIS-Docker-5.16',
      'CIS-Docker-5.17',
      'CIS-Docker-5.21',
      'CIS-Docker-5.31',
      'AVD-KSV-0008',
      'AVD-KSV-0009',
      'AVD-KSV-0010',
    ],
    title: 'Host namespace shared',
    severity: 'HIGH',
    category: 'isolation',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Remove `network_mode: host`, `pid: host`, `ipc: host`, `uts: host` and `userns_mode: host`; publish ports instead of sharing the host network.',
    appliesTo: ['compose'],
    messages: { host: 'service {{service}} shares the host {{namespace}} namespace ({{key}}: host)' },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      for (const [key, namespace] of [
        ['network_mode', 'network'],
        ['pid', 'PID'],
        ['ipc', 'IPC'],
        ['uts', 'UTS'],
        ['userns_mode', 'user'],
      ] as const) {
        const v = get(key);
        if (v && String(v.value) === 'host')
          out.push({
            messageId: 'host' as const,
            data: { service: s.name, namespace, key },
            line: v.keyLine,
            column: v.keyColumn,
          });
      }
    }
    return out;
  },
});
