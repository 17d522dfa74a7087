import { defineRule } from '../../define-rule.js';
import type { HostFacts } from '../../host/facts.js';
import { onLive } from '../../host/report.js';

/**
 * Docker Engine majors before this one no longer get security fixes (as of late 2026, upstream
 * maintains the two newest majors); override with the rule setting `minMajor`.
 */
export const DEFAULT_MIN_MAJOR = 28;

export default defineRule({
  meta: {
    id: 'daemon/daemon-version',
    aliases: ['CIS-Docker-1.2.2', 'docker-bench:1_2_2'],
    title: 'Docker Engine version is out of support',
    severity: 'MEDIUM',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation: 'Upgrade Docker Engine to a maintained release and keep it updated.',
    appliesTo: ['daemon', 'host'],
    messages: {
      old: 'Docker Engine {{version}} is older than {{min}}.0, the oldest release still maintained',
    },
  },
  check(facts: HostFacts, ctx) {
    const v = facts.live?.version?.Version ?? facts.live?.info?.ServerVersion;
    if (typeof v !== 'string') return [];
    const major = Number(/^(\d+)\./.exec(v)?.[1]);
    const min = typeof ctx.settings.minMajor === 'number' ? ctx.settings.minMajor : DEFAULT_MIN_MAJOR;
    if (!Number.isFinite(major) || major >= min) return [];
    return [onLive(facts, { messageId: 'old', field: 'Version', data: { version: v, min } })];
  },
});
