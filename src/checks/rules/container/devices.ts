import { defineRule } from '../../define-rule.js';
import { asObject, at, hostConfig, str } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/devices',
    aliases: ['CIS-Docker-5.18', 'docker-bench:5_18'],
    title: 'Container has host devices added',
    severity: 'MEDIUM',
    category: 'isolation',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Remove --device unless the workload needs the device; grant read-only (r) permissions where possible.',
    appliesTo: ['container'],
    messages: {
      device: '{{container}} has host device {{device}} ({{permissions}})',
    },
  },
  check(c: ContainerInput) {
    const list = hostConfig(c).Devices;
    if (!Array.isArray(list)) return [];
    return list.map((d, i) => {
      const o = asObject(d);
      return at(c, {
        messageId: 'device',
        field: `HostConfig.Devices[${i}]`,
        data: { device: str(o.PathOnHost) || '?', permissions: str(o.CgroupPermissions) || 'rwm' },
      });
    });
  },
});
