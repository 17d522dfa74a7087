import { defineRule } from '../../define-rule.js';
import { findCommands, runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/apt-update-alone',
    aliases: ['AVD-DS-0017', 'CIS-Docker-4.7', 'CKV_DOCKER_5'],
    title: 'Package index update in its own RUN',
    severity: 'MEDIUM',
    category: 'patching',
    references: ['https://avd.aquasec.com/misconfig/ds017', 'https://www.cisecurity.org/benchmark/docker'],
    remediation:
      'Update and install in one RUN (`RUN apt-get update && apt-get install -y ...`); a cached update layer installs stale, unpatched versions.',
    appliesTo: ['dockerfile'],
    messages: {
      alone: '`{{program}} update` without an install in the same RUN: the layer cache serves a stale index',
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const programs of [['apt-get', 'apt'], ['apk'], ['yum', 'dnf'], ['zypper']]) {
        const updates = findCommands(
          commands,
          programs,
          programs[0] === 'zypper' ? ['refresh', 'ref'] : ['update'],
        );
        if (!updates.length) continue;
        const installs = findCommands(commands, programs, [
          'install',
          'add',
          'in',
          'upgrade',
          'dist-upgrade',
        ]);
        // yum/dnf `update` is itself an upgrade, not an index refresh
        if (installs.length || programs[0] === 'yum') continue;
        const u = updates[0]!;
        out.push({
          messageId: 'alone' as const,
          data: { program: u.cmd.words[0]!.value },
          line: u.sub!.line,
          column: u.sub!.column,
        });
      }
    return out;
  },
});
