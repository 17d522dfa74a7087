import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Discord bot token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('discord-bot-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('discord-bot-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
