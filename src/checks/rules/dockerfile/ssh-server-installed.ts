import { defineRule } from '../../define-rule.js';
import { MANAGERS, installCommands, packageWords } from '../../dockerfile/packages.js';
import { runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

const SSH_SERVER = /^(openssh-server|openssh|dropbear|ssh)([=-]\d.*)?$/;
const OS = MANAGERS.filter((m) => ['apt', 'apk', 'yum', 'dnf', 'zypper'].includes(m.name));

export default defineRule({
  meta: {
    id: 'dockerfile/ssh-server-installed',
    aliases: ['CIS-Docker-5.7'],
    title: 'SSH server installed in the image',
    severity: 'MEDIUM',
    category: 'attack-surface',
    references: ['https://www.cisecurity.org/benchmark/docker'],
    remediation:
      'Do not ship an SSH server; use `docker exec` or `kubectl exec` (or a debug sidecar) to get a shell.',
    appliesTo: ['dockerfile'],
    messages: {
      sshd: '{{package}} puts an SSH server in the image: another login path with its own keys to manage',
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const spec of OS)
        for (const c of installCommands(commands, spec))
          for (const w of packageWords(spec, c.args))
            if (SSH_SERVER.test(w.value))
              out.push({
                messageId: 'sshd' as const,
                data: { package: w.value },
                line: w.line,
                column: w.column,
              });
    return out;
  },
});
