import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/devices',
    aliases: ['CIS-Docker-5.18'],
    title: 'Host devices passed in',
    severity: 'MEDIUM',
    category: 'isolation',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation: 'Remove `devices` entries the service does not need; never pass block devices or /dev/mem.',
    appliesTo: ['compose'],
    messages: { device: 'service {{service}} gets host device {{device}}' },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      for (const it of get('devices')?.items ?? []) {
        const device = it.map
          ? String(it.map.get('source')?.value ?? '')
          : String(it.value ?? '').split(':')[0]!;
        out.push({
          messageId: 'device' as const,
          data: { service: s.name, device },
          line: it.line,
          column: it.column,
        });
      }
    }
    return out;
  },
});
