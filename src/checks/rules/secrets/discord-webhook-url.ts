import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Discord webhook URL: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('discord-webhook-url', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('discord-webhook-url', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
