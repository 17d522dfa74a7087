import type { ComposeFile } from '../../compose/parse.js';
import { defineRule } from '../../define-rule.js';

// Host paths whose exposure gives away the host (CIS Docker 5.6); the runtime sockets are
// compose/docker-socket's.
const SENSITIVE =
  /^\/(|boot|dev|etc|lib|lib64|proc|root|run|sbin|bin|sys|usr|var|var\/lib\/docker|var\/lib\/kubelet|var\/log|home)\/?$/;

export default defineRule({
  meta: {
    id: 'compose/sensitive-host-mount',
    aliases: ['CIS-Docker-5.6', 'AVD-KSV-0023'],
    title: 'Sensitive host directory mounted',
    severity: 'HIGH',
    category: 'isolation',
    references: [
      'https://docs.docker.com/reference/compose-file/services/#volumes',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Mount only the application folders the service needs, read-only where possible; never the host root, /etc, /proc, /sys or /dev.',
    appliesTo: ['compose'],
    messages: { mount: 'service {{service}} mounts host directory {{source}}{{mode}}' },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services)
      for (const it of s.node.map?.get('volumes')?.items ?? []) {
        let source: string;
        let readOnly: boolean;
        if (it.map) {
          if (String(it.map.get('type')?.value ?? 'volume') !== 'bind') continue;
          source = String(it.map.get('source')?.value ?? '');
          const ro = it.map.get('read_only')?.value;
          readOnly = ro === true || ro === 'true';
        } else {
          const parts = String(it.value ?? '').split(':');
          if (parts.length < 2) continue;
          source = parts[0]!;
          readOnly = (parts[2] ?? '').split(',').includes('ro');
        }
        if (!SENSITIVE.test(source)) continue;
        out.push({
          messageId: 'mount' as const,
          data: { service: s.name, source, mode: readOnly ? ' (read-only)' : ' read-write' },
          line: it.line,
          column: it.column,
        });
      }
    return out;
  },
});
