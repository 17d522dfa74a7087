import { defineRule } from '../../define-rule.js';
import { isTrue } from '../../host/daemon-settings.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onLive, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/live-restore',
    aliases: ['CIS-Docker-2.15', 'docker-bench:2_15'],
    title: 'Live restore is not enabled',
    severity: 'LOW',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation:
      'Set "live-restore": true in daemon.json so containers keep running while dockerd restarts or is upgraded.',
    appliesTo: ['daemon', 'host'],
    messages: {
      disabled: 'live-restore is {{value}}: stopping dockerd stops every container',
    },
  },
  check(facts: HostFacts) {
    const info = facts.live?.info;
    // swarm mode and live restore do not go together: not a finding there
    const swarm = (info?.Swarm as { LocalNodeState?: unknown } | undefined)?.LocalNodeState === 'active';
    if (swarm || info?.LiveRestoreEnabled === true) return [];
    if (info && info.LiveRestoreEnabled === false)
      return [
        onLive(facts, {
          messageId: 'disabled',
          field: 'LiveRestoreEnabled',
          data: { value: 'false (live /info)' },
        }),
      ];
    const s = daemonSetting(facts, 'live-restore');
    return isTrue(s?.value)
      ? []
      : [
          onSetting(facts, 'live-restore', s, {
            messageId: 'disabled',
            data: { value: String(s?.value ?? 'unset') },
          }),
        ];
  },
});
