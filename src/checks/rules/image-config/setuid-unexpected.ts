import { defineRule } from '../../define-rule.js';
import type { ImageConfigInput } from './support/input.js';
import { describeBits, expectedSetuid, setuidFacts } from './support/setuid.js';

export default defineRule({
  meta: {
    id: 'image-config/setuid-unexpected',
    aliases: ['CIS-DI-0008', 'CIS-Docker-4.8'],
    title: 'Unexpected setuid/setgid file',
    severity: 'MEDIUM',
    category: 'least-privilege',
    references: [
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Remove the bit in the Dockerfile (`RUN chmod u-s,g-s <file>`) unless the program truly must gain privileges; a setuid file is a path to root for any process in the container.',
    appliesTo: ['image-config'],
    messages: {
      file: '{{path}} is {{bits}} (mode {{mode}}) and is not a program distributions ship that way',
    },
  },
  check(input: ImageConfigInput) {
    return setuidFacts(input)
      .filter((f) => !expectedSetuid(f.path))
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
