import { defineRule } from '../../define-rule.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onPath } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'host/separate-partition',
    aliases: ['CIS-Docker-1.1.1', 'docker-bench:1_1_1'],
    title: 'Docker data root is not on its own partition',
    severity: 'MEDIUM',
    category: 'host',
    references: ['https://www.cisecurity.org/benchmark/docker', 'https://docs.docker.com/engine/security/'],
    remediation:
      'Mount a dedicated filesystem (LVM volume, disk) at the Docker data root so a full image store cannot fill the root filesystem.',
    appliesTo: ['host'],
    messages: {
      shared:
        '{{dataRoot}} is not a mount point in {{sources}}: images and containers share the root filesystem',
    },
  },
  check(facts: HostFacts) {
    if (!facts.mounts) return [];
    const dr = daemonSetting(facts, 'data-root')?.value;
    const dataRoot = (typeof dr === 'string' && dr.startsWith('/') ? dr : '/var/lib/docker').replace(
      /\/+$/,
      '',
    );
    if (facts.mounts.mountPoints.some((m) => m.replace(/\/+$/, '') === dataRoot)) return [];
    const src = facts.mounts.sources[0] ?? '/etc/fstab';
    return [
      onPath(src, 0, {
        messageId: 'shared',
        field: 'mount point',
        data: { dataRoot, sources: facts.mounts.sources.join(', ') },
      }),
    ];
  },
});
