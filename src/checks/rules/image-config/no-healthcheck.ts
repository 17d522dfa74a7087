import { defineRule } from '../../define-rule.js';
import type { ImageConfigInput } from './support/input.js';

export default defineRule({
  meta: {
    id: 'image-config/no-healthcheck',
    aliases: ['CIS-DI-0006', 'CIS-Docker-4.6', 'AVD-DS-0026'],
    title: 'No HEALTHCHECK in the image',
    severity: 'LOW',
    category: 'reliability',
    references: [
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      'https://docs.docker.com/reference/dockerfile/#healthcheck',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Add `HEALTHCHECK CMD <probe>` so the runtime can tell a hung container from a healthy one (Kubernetes users set probes in the pod spec instead).',
    appliesTo: ['image-config'],
    messages: {
      missing: 'the image has no HEALTHCHECK',
      disabled: 'the image disables the health check (HEALTHCHECK NONE)',
    },
  },
  check(input: ImageConfigInput) {
    if (!input.config) return [];
    const at = { line: 0, column: 0, field: 'config.Healthcheck' };
    const hc = input.config.healthcheck as { Test?: unknown } | null | undefined;
    if (hc === undefined || hc === null || typeof hc !== 'object')
      return [{ messageId: 'missing' as const, ...at }];
    const test = Array.isArray(hc.Test) ? (hc.Test as unknown[]) : [];
    if (test.length === 0) return [{ messageId: 'missing' as const, ...at }];
    if (test[0] === 'NONE') return [{ messageId: 'disabled' as const, ...at }];
    return [];
  },
});
