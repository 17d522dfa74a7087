import { defineRule } from '../../define-rule.js';
import { labelPairs, labelSchema, validLabelValue } from '../../dockerfile/labels.js';
import type { Dockerfile } from '../../dockerfile/types.js';

const MESSAGE = {
  url: { messageId: 'notUrl' },
  rfc3339: { messageId: 'notRfc3339' },
  spdx: { messageId: 'notSpdx' },
  hash: { messageId: 'notGitHash' },
  semver: { messageId: 'notSemver' },
  email: { messageId: 'notEmail' },
} as const;

export default defineRule({
  meta: {
    id: 'dockerfile/label-invalid',
    aliases: ['DL3051', 'DL3052', 'DL3053', 'DL3054', 'DL3055', 'DL3056', 'DL3058'],
    title: 'Label value does not match the label schema',
    severity: 'LOW',
    category: 'maintainability',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3051',
      'https://github.com/opencontainers/image-spec/blob/main/annotations.md',
    ],
    remediation:
      'Give schema labels a value of their type: a URL, an RFC 3339 time, an SPDX license expression, a 7- or 40-digit git hash, a semantic version, an e-mail address.',
    appliesTo: ['dockerfile'],
    messages: {
      empty: 'label {{label}} is empty',
      notUrl: 'label {{label}} is not a URL: {{value}}',
      notRfc3339: 'label {{label}} is not an RFC 3339 time: {{value}}',
      notSpdx: 'label {{label}} is not an SPDX license expression: {{value}}',
      notGitHash: 'label {{label}} is not a git commit hash: {{value}}',
      notSemver: 'label {{label}} is not a semantic version: {{value}}',
      notEmail: 'label {{label}} is not an e-mail address: {{value}}',
    },
  },
  check(df: Dockerfile, ctx) {
    const schema = labelSchema(ctx.settings);
    if (!schema.size) return [];
    const out = [];
    for (const p of labelPairs(df.instructions)) {
      const type = schema.get(p.key);
      if (!type) continue;
      const data = { label: p.key, value: p.value };
      if (p.value === '') out.push({ messageId: 'empty' as const, data, line: p.line, column: p.column });
      else if (type !== 'text' && !p.value.includes('$') && !validLabelValue(type, p.value))
        out.push({ ...MESSAGE[type], data, line: p.line, column: p.column });
    }
    return out;
  },
});
