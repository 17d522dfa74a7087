import { defineRule } from '../../define-rule.js';
import { addedCapabilities, isHostLevelCapability, type ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/cap-sys-admin',
    aliases: ['CIS-Docker-5.4', 'AVD-KSV-0005'],
    title: 'SYS_ADMIN or ALL capabilities added',
    severity: 'CRITICAL',
    category: 'least-privilege',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation: 'Remove SYS_ADMIN / ALL from `cap_add`; it is nearly equivalent to root on the host.',
    appliesTo: ['compose'],
    messages: { sysAdmin: 'service {{service}} adds {{cap}}, which allows escaping the container' },
  },
  check(cf: ComposeFile) {
    return addedCapabilities(cf)
      .filter((a) => isHostLevelCapability(a.cap))
      .map((a) => ({
        messageId: 'sysAdmin' as const,
        data: { service: a.service, cap: a.cap },
        line: a.line,
        column: a.column,
      }));
  },
});
