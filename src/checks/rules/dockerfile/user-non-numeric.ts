import { defineRule } from '../../define-rule.js';
import { effective } from '../../dockerfile/helpers.js';
import type { Dockerfile, Stage } from '../../dockerfile/types.js';

const isWindows = (s: Stage) =>
  /(^|\/)(windows|nanoserver|servercore)|windowsservercore/i.test(s.image) ||
  s.instructions.some(
    (i) => i.keyword === 'SHELL' && /powershell|pwsh|cmd(\.exe)?$/i.test(i.args[0]?.value ?? ''),
  );

export default defineRule({
  meta: {
    id: 'dockerfile/user-non-numeric',
    aliases: ['DL3066'],
    title: 'USER by name rather than numeric ID',
    severity: 'LOW',
    category: 'least-privilege',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3066',
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
    ],
    remediation:
      'Use a numeric UID (`USER 10001:10001`): a platform cannot tell a name from root without the image, so `runAsNonRoot` rejects it.',
    appliesTo: ['dockerfile'],
    messages: { name: 'USER {{user}} is a name: hosts and runAsNonRoot checks cannot resolve it' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const stage of df.stages) {
      // Windows containers name users (ContainerUser, ContainerAdministrator): there are no UIDs
      if (isWindows(stage)) continue;
      for (const raw of stage.instructions) {
        const ins = effective(raw);
        const w = ins?.keyword === 'USER' ? ins.args[0] : undefined;
        if (!w) continue;
        const uid = w.value.split(':')[0]!;
        // a variable is the build's choice
        if (/^\d+$/.test(uid) || uid.includes('$')) continue;
        out.push({ messageId: 'name' as const, data: { user: w.value }, line: w.line, column: w.column });
      }
    }
    return out;
  },
});
