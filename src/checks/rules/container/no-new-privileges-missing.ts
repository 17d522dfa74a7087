import { defineRule } from '../../define-rule.js';
import { at, securityOpts } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/no-new-privileges-missing',
    aliases: ['CIS-Docker-5.26', 'docker-bench:5_26'],
    title: 'Container processes can gain privileges (no-new-privileges not set)',
    severity: 'MEDIUM',
    category: 'least-privilege',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Run with --security-opt no-new-privileges=true (or set "no-new-privileges": true in daemon.json).',
    appliesTo: ['container'],
    messages: {
      missing: '{{container}} does not set no-new-privileges: setuid binaries can raise privileges',
    },
  },
  check(c: ContainerInput) {
    const opt = securityOpts(c).find((o) => o.key === 'no-new-privileges');
    // a bare "no-new-privileges" means true; "=false" is the same as leaving it out
    const on = opt && (opt.value === '' || opt.value === 'true');
    return on ? [] : [at(c, { messageId: 'missing', field: 'HostConfig.SecurityOpt' })];
  },
});
