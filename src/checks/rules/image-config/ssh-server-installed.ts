import { defineRule } from '../../define-rule.js';
import type { ImageConfigInput } from './support/input.js';

const SSH_SERVERS = new Set(['openssh-server', 'openssh', 'openssh-server-pam', 'dropbear', 'tinysshd']);

export default defineRule({
  meta: {
    id: 'image-config/ssh-server-installed',
    aliases: ['CIS-Docker-5.7'],
    title: 'SSH server installed in the image',
    severity: 'MEDIUM',
    category: 'attack-surface',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/exec/',
    ],
    remediation:
      'Do not ship an SSH server; use `docker exec` or `kubectl exec` (or a debug sidecar) to get a shell.',
    appliesTo: ['image-config'],
    messages: { installed: 'SSH server package {{name}} {{version}} is installed' },
  },
  check(input: ImageConfigInput) {
    return input.packages
      .filter((p) => SSH_SERVERS.has(p.name))
      .map((p) => ({
        messageId: 'installed' as const,
        data: { name: p.name, version: p.version },
        line: 0,
        column: 0,
        object: `${p.name}@${p.version}`,
        ...(p.layer ? { layer: p.layer } : {}),
      }));
  },
});
