import { defineRule } from '../../define-rule.js';
import { effective, keyValues } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

/**
 * Docker's label key format: lower-case alphanumerics, `.`, `-`, `_` and `/`, starting with a
 * letter and ending with a letter or digit, no repeated separators, and not in the namespaces
 * Docker reserves for itself.
 */
function keyProblem(key: string): string | undefined {
  if (/^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/.test(key))
    return 'uses a namespace Docker reserves';
  if (!/^[a-z]/.test(key) || !/[a-z0-9]$/.test(key))
    return 'must start with a lower-case letter and end with a letter or digit';
  if (/[^0-9a-z._/-]/.test(key)) return 'may only contain lower-case letters, digits, `.`, `-`, `_` and `/`';
  if (key.includes('..') || key.includes('--')) return 'repeats a separator';
  return undefined;
}

export default defineRule({
  meta: {
    id: 'dockerfile/label-key-invalid',
    aliases: ['DL3048'],
    title: 'Invalid label key',
    severity: 'LOW',
    category: 'maintainability',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3048',
      'https://docs.docker.com/engine/manage-resources/labels/#key-format-recommendations',
    ],
    remediation: 'Use reverse-DNS, lower-case keys such as `org.opencontainers.image.source`.',
    appliesTo: ['dockerfile'],
    messages: { invalid: 'label key {{key}} {{problem}}' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const raw of df.instructions) {
      const ins = effective(raw);
      if (ins?.keyword !== 'LABEL') continue;
      for (const kv of keyValues(ins)) {
        const problem = keyProblem(kv.key);
        if (problem)
          out.push({
            messageId: 'invalid' as const,
            data: { key: kv.key, problem },
            line: kv.line,
            column: kv.column,
          });
      }
    }
    return out;
  },
});
