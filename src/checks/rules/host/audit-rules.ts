import { defineRule } from '../../define-rule.js';
import { AUDIT_TARGETS } from '../../host/expectations.js';
import type { HostFacts } from '../../host/facts.js';
import { onPath } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'host/audit-rules',
    aliases: [
      ...new Set(AUDIT_TARGETS.map((t) => `CIS-Docker-${t.cis}`)),
      ...new Set(AUDIT_TARGETS.map((t) => `docker-bench:${t.cis.replace(/\./g, '_')}`)),
    ],
    title: 'Docker files and binaries are not audited',
    severity: 'MEDIUM',
    category: 'host',
    references: ['https://www.cisecurity.org/benchmark/docker', 'https://docs.docker.com/engine/security/'],
    remediation:
      'Add auditd watches, e.g. "-w /usr/bin/dockerd -k docker", for each Docker binary, unit, socket and configuration file, in /etc/audit/rules.d/docker.rules.',
    appliesTo: ['host'],
    messages: {
      noAudit:
        'no audit rules found (/etc/audit/audit.rules, /etc/audit/rules.d/*.rules): nothing records changes to Docker files',
      notWatched: '{{path}} is not watched by any audit rule ({{cis}})',
    },
  },
  check(facts: HostFacts) {
    const present = new Set(facts.files.filter((f) => f.exists).map((f) => f.path));
    // the unit files are wherever the distribution put them
    const unitPath = (name: string) =>
      [...present].find((p) => p.endsWith(`/${name}`) && p.includes('/systemd/'));
    const targets = AUDIT_TARGETS.map((t) => ({
      ...t,
      host: t.path.startsWith('/') ? t.path : unitPath(t.path),
    })).filter((t): t is typeof t & { host: string } => t.host !== undefined && present.has(t.host));
    if (targets.length === 0) return [];
    if (!facts.audit)
      return [onPath('/etc/audit/audit.rules', 0, { messageId: 'noAudit', field: 'audit rules' })];
    const watched = new Set(facts.audit.watched);
    const src = facts.audit.sources[facts.audit.sources.length - 1] ?? '/etc/audit/audit.rules';
    return targets
      .filter((t) => !watched.has(t.host))
      .map((t) =>
        onPath(src, 0, {
          messageId: 'notWatched',
          field: t.host,
          data: { path: t.host, cis: `CIS-Docker-${t.cis}` },
        }),
      );
  },
});
