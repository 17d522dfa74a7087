import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';
import { entries } from '../../compose/parse.js';
const SECRET_NAME =
  /_PWD$|(^|_)(PASSWORD|PASSWD|PASS|SECRET|SECRET_KEY|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)$/i;

export default defineRule({
  meta: {
    id: 'compose/secrets-in-environment',
    aliases: ['CIS-Docker-4.10'],
    title: 'Secret written into environment',
    severity: 'HIGH',
    category: 'secrets',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Use compose `secrets:` (files mounted at /run/secrets) or variable substitution from an untracked `.env` (`${DB_PASSWORD}`).',
    appliesTo: ['compose'],
    messages: { secret: 'service {{service}} sets {{name}} to a literal value in environment' },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      for (const e of entries(get('environment'))) {
        if (!SECRET_NAME.test(e.key) || !e.value || e.value.includes('$')) continue;
        out.push({
          messageId: 'secret' as const,
          data: { service: s.name, name: e.key },
          line: e.node.line,
          column: e.node.column,
        });
      }
    }
    return out;
  },
});
