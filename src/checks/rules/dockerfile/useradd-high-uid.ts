import { defineRule } from '../../define-rule.js';
import { findCommands, runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/useradd-high-uid',
    aliases: ['DL3046'],
    title: 'useradd with a high UID and without -l',
    severity: 'LOW',
    category: 'image-hygiene',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3046',
      'https://github.com/moby/moby/issues/5419',
    ],
    remediation:
      'Add `-l` (`--no-log-init`): without it useradd grows /var/log/lastlog and faillog as sparse files sized by the UID, which layers store in full.',
    appliesTo: ['dockerfile'],
    messages: { noLogInit: 'useradd -u {{uid}} without -l writes a lastlog file as large as the UID' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const { cmd, args } of findCommands(commands, ['useradd'])) {
        let uid: string | undefined;
        let noLogInit = false;
        for (const [k, a] of args.entries()) {
          const v = a.value;
          if (v === '--no-log-init' || /^-[a-zA-Z]*l[a-zA-Z]*$/.test(v)) noLogInit = true;
          if (v.startsWith('--uid=')) uid = v.slice(6);
          else if (v === '--uid' || /^-[a-zA-Z]*u$/.test(v)) uid = args[k + 1]?.value;
        }
        if (uid && uid.length > 5 && !noLogInit) {
          const w = cmd.words[0]!;
          out.push({ messageId: 'noLogInit' as const, data: { uid }, line: w.line, column: w.column });
        }
      }
    return out;
  },
});
