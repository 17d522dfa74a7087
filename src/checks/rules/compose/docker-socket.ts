import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';

const SOCKET =
  /^\/(var\/)?run\/(docker|containerd\/containerd|crio\/crio|podman\/podman)\.sock$|^\/var\/run\/docker\.sock$|^\/run\/user\/\d+\/(docker|podman\/podman)\.sock$/;

export default defineRule({
  meta: {
    id: 'compose/docker-socket',
    aliases: ['CIS-Docker-5.32'],
    title: 'Docker socket mounted',
    severity: 'CRITICAL',
    category: 'isolation',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Do not mount the container runtime socket; use a narrowly scoped API proxy if the service must talk to Docker.',
    appliesTo: ['compose'],
    messages: { socket: 'service {{service}} mounts {{source}}: root on the host through the Docker API' },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      for (const it of get('volumes')?.items ?? []) {
        const source = it.map
          ? String(it.map.get('source')?.value ?? '')
          : String(it.value ?? '').split(':')[0]!;
        if (SOCKET.test(source))
          out.push({
            messageId: 'socket' as const,
            data: { service: s.name, source },
            line: it.line,
            column: it.column,
          });
      }
    }
    return out;
  },
});
