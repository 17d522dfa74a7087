import { defineRule } from '../../define-rule.js';
import { at, securityOpts, str } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/apparmor-unconfined',
    aliases: ['CIS-Docker-5.2', 'docker-bench:5_2'],
    title: 'Container runs without an AppArmor profile',
    severity: 'MEDIUM',
    category: 'isolation',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Run with the docker-default AppArmor profile or a custom one (--security-opt apparmor=<profile>); on SELinux hosts use SELinux labels instead and suppress this rule.',
    appliesTo: ['container'],
    messages: {
      unconfined: '{{container}} runs AppArmor-unconfined ({{opt}})',
      missing: '{{container}} has no AppArmor profile (AppArmorProfile is empty)',
    },
  },
  check(c: ContainerInput) {
    const opt = securityOpts(c).find((o) => o.key === 'apparmor' && o.value === 'unconfined');
    if (opt)
      return [at(c, { messageId: 'unconfined', field: 'HostConfig.SecurityOpt', data: { opt: opt.raw } })];
    const profile = str(c.inspect.AppArmorProfile);
    if (profile === 'unconfined')
      return [
        at(c, {
          messageId: 'unconfined',
          field: 'AppArmorProfile',
          data: { opt: 'AppArmorProfile=unconfined' },
        }),
      ];
    // privileged containers are unconfined too, but container/privileged already says so
    if (profile === '' && 'AppArmorProfile' in c.inspect)
      return [at(c, { messageId: 'missing', field: 'AppArmorProfile' })];
    return [];
  },
});
