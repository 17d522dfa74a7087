import { defineRule } from '../../define-rule.js';
import { liveSecurityOptions } from '../../host/daemon-settings.js';
import type { HostFacts } from '../../host/facts.js';
import { onLive } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/no-mac',
    aliases: ['CIS-Docker-5.2', 'CIS-Docker-5.3', 'docker-bench:5_2'],
    title: 'Daemon runs containers without AppArmor or SELinux',
    severity: 'MEDIUM',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation:
      'Enable AppArmor (Debian, Ubuntu) or SELinux with "selinux-enabled": true (Fedora, RHEL) so containers get a mandatory access control profile.',
    appliesTo: ['daemon', 'host'],
    messages: {
      none: 'the live daemon reports neither apparmor nor selinux among its security options',
    },
  },
  check(facts: HostFacts) {
    const live = liveSecurityOptions(facts);
    if (!live || live.includes('apparmor') || live.includes('selinux')) return [];
    return [onLive(facts, { messageId: 'none', field: 'SecurityOptions' })];
  },
});
