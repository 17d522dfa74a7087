import { defineRule } from '../../define-rule.js';
import { isTrue } from '../../host/daemon-settings.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onSetting } from '../../host/report.js';

const UNIX_OR_FD = /^(unix|fd|npipe):/;

export default defineRule({
  meta: {
    id: 'daemon/tls-missing',
    aliases: ['CIS-Docker-2.7', 'docker-bench:2_7'],
    title: 'Daemon listens on TCP without TLS client verification',
    severity: 'CRITICAL',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation:
      'Serve TCP only with "tlsverify": true plus tlscacert, tlscert and tlskey (port 2376), or listen on the unix socket only.',
    appliesTo: ['daemon', 'host'],
    messages: {
      noTls:
        'the Docker API listens on {{host}} without TLS client verification: anyone who reaches it is root on this host',
      incomplete: 'the Docker API listens on {{host}} with tlsverify but without {{missing}}',
    },
  },
  check(facts: HostFacts) {
    const hosts = daemonSetting(facts, 'hosts');
    const list = (Array.isArray(hosts?.value) ? hosts.value : [hosts?.value]).filter(
      (h): h is string => typeof h === 'string' && !UNIX_OR_FD.test(h),
    );
    if (list.length === 0) return [];
    const verify = isTrue(daemonSetting(facts, 'tlsverify')?.value);
    const missing = ['tlscacert', 'tlscert', 'tlskey'].filter(
      (k) => typeof daemonSetting(facts, k)?.value !== 'string',
    );
    return list
      .map((host) =>
        !verify
          ? onSetting(facts, 'hosts', hosts, { messageId: 'noTls', data: { host } })
          : missing.length
            ? onSetting(facts, 'hosts', hosts, {
                messageId: 'incomplete',
                data: { host, missing: missing.join(', ') },
              })
            : undefined,
      )
      .filter((r) => r !== undefined);
  },
});
