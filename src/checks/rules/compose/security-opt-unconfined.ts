import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/security-opt-unconfined',
    aliases: ['CIS-Docker-5.2', 'CIS-Docker-5.3', 'CIS-Docker-5.22', 'AVD-KSV-0104'],
    title: 'Seccomp, AppArmor or SELinux disabled',
    severity: 'HIGH',
    category: 'isolation',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Keep the default seccomp and AppArmor profiles (remove the `security_opt` entry) or supply a tailored profile.',
    appliesTo: ['compose'],
    messages: { unconfined: 'service {{service}} sets security_opt {{opt}}' },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      for (const it of get('security_opt')?.items ?? []) {
        const opt = String(it.value ?? '');
        if (/^(seccomp|apparmor)[:=]unconfined$|^label[:=]disable$/i.test(opt))
          out.push({
            messageId: 'unconfined' as const,
            data: { service: s.name, opt },
            line: it.line,
            column: it.column,
          });
      }
    }
    return out;
  },
});
