import { defineRule } from '../../define-rule.js';
import { addedCapabilities, isHostLevelCapability, type ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/cap-add',
    aliases: ['CIS-Docker-5.4', 'AVD-KSV-0022'],
    title: 'Extra Linux capabilities added',
    severity: 'MEDIUM',
    category: 'least-privilege',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation: 'Drop the added capability unless the service cannot work without it (then document why).',
    appliesTo: ['compose'],
    messages: { capAdd: 'service {{service}} adds capability {{cap}}' },
  },
  check(cf: ComposeFile) {
    // SYS_ADMIN and ALL are compose/cap-sys-admin's (critical) findings
    return addedCapabilities(cf)
      .filter((a) => !isHostLevelCapability(a.cap))
      .map((a) => ({
        messageId: 'capAdd' as const,
        data: { service: a.service, cap: a.cap },
        line: a.line,
        column: a.column,
      }));
  },
});
