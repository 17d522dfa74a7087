import { defineRule } from '../../define-rule.js';
import { str, type ImageConfigInput } from './support/input.js';
import { REDACTED, secretKind, urlCredentials } from './support/secrets.js';

export default defineRule({
  meta: {
    id: 'image-config/secrets-in-labels',
    aliases: ['CIS-DI-0010', 'CIS-Docker-4.10'],
    title: 'Secret stored in an image label',
    severity: 'HIGH',
    category: 'secrets',
    references: [
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      'https://docs.docker.com/reference/dockerfile/#label',
    ],
    remediation:
      'Labels are public metadata: remove the credential from LABEL (and from the build arguments that fed it) and rotate it.',
    appliesTo: ['image-config'],
    messages: {
      name: 'label {{name}} looks like a credential and holds a literal value ({{value}})',
      value: 'label {{name}} holds a value shaped like a real credential ({{value}})',
      url: 'label {{name}} holds a URL with a password for user {{user}}',
    },
  },
  check(input: ImageConfigInput) {
    const labels = input.config?.labels;
    if (!labels || typeof labels !== 'object') return [];
    const out = [];
    for (const name of Object.keys(labels).sort()) {
      const value = str((labels as Record<string, unknown>)[name]);
      if (value === undefined) continue;
      const field = `config.Labels[${JSON.stringify(name)}]`;
      const at = { data: { name, value: REDACTED }, line: 0, column: 0, field };
      const kind = secretKind(name, value);
      if (kind === 'value') out.push({ messageId: 'value' as const, ...at });
      else if (kind === 'name') out.push({ messageId: 'name' as const, ...at });
      else
        for (const user of urlCredentials(value))
          out.push({ messageId: 'url' as const, data: { name, user }, line: 0, column: 0, field });
    }
    return out;
  },
});
