import { defineRule } from '../../define-rule.js';
import type { ImageConfigInput } from './support/input.js';
import { describeBits, expectedSetuid, setuidFacts } from './support/setuid.js';

export default defineRule({
  meta: {
    id: 'image-config/setuid-known',
    aliases: ['CIS-DI-0008', 'CIS-Docker-4.8'],
    title: 'Expected setuid/setgid program present',
    severity: 'LOW',
    category: 'least-privilege',
    references: [
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Review it; remove the bit (`chmod u-s,g-s`) or the package when the container never needs it (most never run passwd, su or mount).',
    appliesTo: ['image-config'],
    messages: { file: '{{path}} is {{bits}} (mode {{mode}}), as the distribution ships it' },
  },
  check(input: ImageConfigInput) {
    return setuidFacts(input)
      .filter((f) => expectedSetuid(f.path))
      .map((f) => ({
        messageId: 'file' as const,
        data: { path: f.path, bits: describeBits(f), mode: String(f.data.mode ?? '') },
        line: 0,
        column: 0,
        object: f.path,
        ...(f.layer ? { layer: f.layer } : {}),
      }));
  },
});
