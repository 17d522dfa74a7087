import { defineRule } from '../../define-rule.js';
import { findCommands, runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

const UPGRADES: { programs: string[]; subs: string[]; whole?: boolean }[] = [
  {
    programs: ['apt-get', 'apt', 'aptitude'],
    subs: ['upgrade', 'dist-upgrade', 'full-upgrade', 'safe-upgrade'],
  },
  { programs: ['apk'], subs: ['upgrade'] },
  // `yum update pkg` updates one package on purpose; only a whole-system update is flagged
  { programs: ['yum', 'dnf', 'microdnf'], subs: ['update', 'upgrade', 'distro-sync'], whole: true },
  { programs: ['zypper'], subs: ['update', 'up', 'dist-upgrade', 'dup'], whole: true },
];

export default defineRule({
  meta: {
    id: 'dockerfile/package-upgrade',
    aliases: ['DL3005', 'DL3017', 'DL3035', 'AVD-DS-0024'],
    title: 'Whole-system package upgrade in the build',
    severity: 'LOW',
    category: 'reproducibility',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3005',
      'https://github.com/hadolint/hadolint/wiki/DL3017',
      'https://avd.aquasec.com/misconfig/ds024',
    ],
    remediation:
      'Use a newer base image instead of upgrading everything in the build, and upgrade only named packages when a fix is needed.',
    appliesTo: ['dockerfile'],
    messages: { upgrade: '`{{program}} {{sub}}` makes the image depend on the day it was built' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const u of UPGRADES)
        for (const { cmd, sub, args } of findCommands(commands, u.programs, u.subs)) {
          if (u.whole && args.some((a) => !a.value.startsWith('-'))) continue;
          out.push({
            messageId: 'upgrade' as const,
            data: { program: cmd.words[0]!.value, sub: sub!.value },
            line: sub!.line,
            column: sub!.column,
          });
        }
    return out;
  },
});
