import { defineRule } from '../../define-rule.js';
import { keyValues } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

// Names that carry credentials. Suffix match keeps `PASSWORD_FILE` (a path) and `KEY_ID` out;
// `PWD` alone is the shell's working directory, `DB_PWD` a password.
const SECRET_NAME =
  /_PWD$|(^|_)(PASSWORD|PASSWD|PASS|SECRET|SECRET_KEY|TOKEN|API_?KEY|ACCESS_?KEY|ACCESS_KEY_ID|PRIVATE_?KEY|CREDENTIALS?|AUTH|CLIENT_?SECRET|CLIENT_?KEY|APP(LICATION)?_(KEY|SECRET))$/i;
// Values that look like well-known credentials whatever the variable is called.
const SECRET_VALUE =
  /^(AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}|glpat-[A-Za-z0-9_-]{20,}|xox[baprs]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{16,}|npm_[A-Za-z0-9]{36}|-----BEGIN [A-Z ]*PRIVATE KEY-----.*)$/;

export default defineRule({
  meta: {
    id: 'dockerfile/secrets-in-env',
    aliases: ['DL3064', 'AVD-DS-0031', 'CIS-Docker-4.10'],
    title: 'Secret in ENV or ARG',
    severity: 'HIGH',
    category: 'secrets',
    references: [
      'https://docs.docker.com/build/building/secrets/',
      'https://github.com/hadolint/hadolint/wiki/DL3064',
      'https://avd.aquasec.com/misconfig/ds031',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Pass build secrets with `RUN --mount=type=secret,id=...` and runtime secrets through the orchestrator; ENV and ARG values are stored in the image history.',
    appliesTo: ['dockerfile'],
    messages: {
      name: '{{keyword}} {{name}} looks like a credential; ENV and ARG values are kept in the image metadata',
      value: '{{keyword}} {{name}} holds a value shaped like a real credential',
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const ins of df.instructions) {
      if (ins.keyword !== 'ENV' && ins.keyword !== 'ARG') continue;
      for (const kv of keyValues(ins)) {
        const data = { keyword: ins.keyword, name: kv.key };
        if (kv.value && SECRET_VALUE.test(kv.value))
          out.push({ messageId: 'value' as const, data, line: kv.line, column: kv.column });
        else if (
          SECRET_NAME.test(kv.key) &&
          (ins.keyword === 'ARG' || (kv.value !== undefined && kv.value !== '' && !kv.value.startsWith('$')))
        )
          out.push({ messageId: 'name' as const, data, line: kv.line, column: kv.column });
      }
    }
    return out;
  },
});
