import { defineRule } from '../../define-rule.js';
import { str, type ImageConfigInput } from './support/input.js';

export default defineRule({
  meta: {
    id: 'image-config/root-user',
    aliases: ['CIS-DI-0001', 'CIS-Docker-4.1', 'AVD-DS-0002'],
    title: 'Image runs as root',
    severity: 'HIGH',
    category: 'least-privilege',
    references: [
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      'https://avd.aquasec.com/misconfig/ds002',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Create an unprivileged user in the image and end the Dockerfile with `USER <name or uid>` (a numeric UID lets Kubernetes verify runAsNonRoot).',
    appliesTo: ['image-config'],
    messages: {
      unset: 'the image sets no USER, so its processes run as root',
      root: 'the image runs as {{user}}, which is root',
    },
  },
  check(input: ImageConfigInput) {
    if (!input.config) return [];
    const user = str(input.config.user)?.trim() ?? '';
    const at = { line: 0, column: 0, field: 'config.User' };
    if (user === '') return [{ messageId: 'unset' as const, ...at }];
    const name = user.split(':')[0];
    if (name === 'root' || name === '0') return [{ messageId: 'root' as const, data: { user }, ...at }];
    return [];
  },
});
