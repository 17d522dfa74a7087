import { defineRule } from '../../define-rule.js';
import { commandSegments, historyEntries, type ImageConfigInput } from './support/input.js';

export default defineRule({
  meta: {
    id: 'image-config/sudo',
    aliases: ['DKL-DI-0001', 'AVD-DS-0010'],
    title: 'sudo installed or used in the build',
    severity: 'MEDIUM',
    category: 'least-privilege',
    references: [
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      'https://avd.aquasec.com/misconfig/ds010',
    ],
    remediation:
      'Remove sudo from the image: run build steps as root before `USER`, and use `gosu`/`setpriv` in entrypoints that must drop privileges.',
    appliesTo: ['image-config'],
    messages: {
      installed: 'package {{name}} {{version}} is installed: a setuid path to root inside the container',
      used: 'the build ran `sudo`',
    },
  },
  check(input: ImageConfigInput) {
    const out = [];
    for (const p of input.packages)
      if (p.name === 'sudo' || p.name === 'sudo-ldap')
        out.push({
          messageId: 'installed' as const,
          data: { name: p.name, version: p.version },
          line: 0,
          column: 0,
          object: `${p.name}@${p.version}`,
          ...(p.layer ? { layer: p.layer } : {}),
        });
    for (const h of historyEntries(input))
      if (commandSegments(h.createdBy).some((s) => s[0] === 'sudo'))
        out.push({
          messageId: 'used' as const,
          line: 0,
          column: 0,
          field: `history[${h.index}].created_by`,
          ...(h.layer ? { layer: h.layer } : {}),
        });
    return out;
  },
});
