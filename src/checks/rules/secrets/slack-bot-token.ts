import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Slack bot token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('slack-bot-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('slack-bot-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
