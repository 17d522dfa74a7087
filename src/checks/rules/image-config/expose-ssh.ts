import { defineRule } from '../../define-rule.js';
import type { ImageConfigInput } from './support/input.js';

export default defineRule({
  meta: {
    id: 'image-config/expose-ssh',
    aliases: ['AVD-DS-0004'],
    title: 'SSH port 22 exposed',
    severity: 'MEDIUM',
    category: 'attack-surface',
    references: ['https://avd.aquasec.com/misconfig/ds004', 'https://www.cisecurity.org/benchmark/docker'],
    remediation:
      'Do not run sshd in containers; use `docker exec` / `kubectl exec` for access and drop `EXPOSE 22`.',
    appliesTo: ['image-config'],
    messages: { exposed: 'the image exposes port {{port}} (SSH)' },
  },
  check(input: ImageConfigInput) {
    const ports = input.config?.exposedPorts;
    if (!Array.isArray(ports)) return [];
    return ports
      .filter((p): p is string => typeof p === 'string' && /^22(\/tcp)?$/i.test(p))
      .map((port) => ({
        messageId: 'exposed' as const,
        data: { port },
        line: 0,
        column: 0,
        field: `config.ExposedPorts["${port}"]`,
      }));
  },
});
