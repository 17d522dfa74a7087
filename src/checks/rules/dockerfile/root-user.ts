import { defineRule } from '../../define-rule.js';
import { expandVars } from '../../dockerfile/expand.js';
import { shippedStages, withVars } from '../../dockerfile/helpers.js';
import type { Dockerfile, Instruction } from '../../dockerfile/types.js';

// Root is uid 0 under any name; `root:root`, `0:0` and `0` all mean it.
const ROOT = /^(root|0)(:.*)?$/;

export default defineRule({
  meta: {
    id: 'dockerfile/root-user',
    aliases: ['DL3002', 'AVD-DS-0002', 'CIS-Docker-4.1', 'CKV_DOCKER_3', 'CKV_DOCKER_8'],
    title: 'Image runs as root',
    severity: 'HIGH',
    category: 'least-privilege',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3002',
      'https://avd.aquasec.com/misconfig/ds002',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Create an unprivileged user (`RUN useradd -r -u 10001 app`) and end the final stage with `USER 10001`.',
    appliesTo: ['dockerfile'],
    messages: {
      lastUserRoot: 'the last USER of the final stage is {{user}}: the container runs as root',
      noUser: 'the final stage sets no USER: the container runs as root unless the base image sets one',
    },
  },
  check(df: Dockerfile) {
    const chain = shippedStages(df);
    const final = chain[0];
    // a snippet without FROM has no image to run
    if (!final || final.implicit) return [];
    // USER carries through stages built FROM each other: the nearest stage that sets it decides
    for (const stage of chain) {
      if (stage.image.toLowerCase() === 'scratch' && !stage.instructions.some((i) => i.keyword === 'USER'))
        return [];
      let last: Instruction | undefined;
      let user = '';
      for (const { ins, vars } of withVars(df, stage))
        if (ins.keyword === 'USER') {
          last = ins;
          // `USER ${APP_USER:-root}` is root unless the build overrides the ARG
          user = expandVars(ins.args[0]?.value ?? '', vars, df.escape).value;
        }
      if (!last) continue;
      if (!ROOT.test(user)) return [];
      const arg = last.args[0]!;
      return [{ messageId: 'lastUserRoot', data: { user }, line: arg.line, column: arg.column }];
    }
    return [{ messageId: 'noUser', line: final.from.line, column: final.from.column }];
  },
});
