import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/no-resource-limits',
    aliases: ['CIS-Docker-5.11', 'CIS-Docker-5.12', 'CIS-Docker-5.29', 'AVD-KSV-0011', 'AVD-KSV-0018'],
    title: 'No memory, CPU or PID limits',
    severity: 'LOW',
    category: 'availability',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Set `mem_limit`, `cpus` and `pids_limit` (or `deploy.resources.limits.memory`, `.cpus`, `.pids`).',
    appliesTo: ['compose'],
    messages: { noLimit: 'service {{service}} has no {{what}} limit' },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      const lim = get('deploy')?.map?.get('resources')?.map?.get('limits')?.map;
      const has = (top: string[], key: string) => top.some((k) => get(k) !== undefined) || lim?.has(key);
      for (const [what, top, key] of [
        ['memory', ['mem_limit'], 'memory'],
        ['CPU', ['cpus', 'cpu_quota', 'cpu_count'], 'cpus'],
        ['PID', ['pids_limit'], 'pids'],
      ] as const)
        if (!has([...top], key))
          out.push({
            messageId: 'noLimit' as const,
            data: { service: s.name, what },
            line: s.node.keyLine,
            column: s.node.keyColumn,
          });
    }
    return out;
  },
});
