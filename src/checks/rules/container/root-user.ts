import { defineRule } from '../../define-rule.js';
import { at, config, str } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/root-user',
    aliases: ['CIS-Docker-4.1', 'docker-bench:4_1'],
    title: 'Container runs as root',
    severity: 'MEDIUM',
    category: 'least-privilege',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation: 'Run as an unprivileged user: USER in the image or --user <uid>:<gid> at run time.',
    appliesTo: ['container'],
    messages: {
      root: '{{container}} runs as root (Config.User {{user}})',
    },
  },
  check(c: ContainerInput) {
    const user = str(config(c).User).trim();
    const name = user.split(':')[0] ?? '';
    if (name === '' || name === 'root' || name === '0')
      return [
        at(c, {
          messageId: 'root',
          field: 'Config.User',
          data: { user: user === '' ? 'empty' : `"${user}"` },
        }),
      ];
    return [];
  },
});
