import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Slack incoming webhook URL: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('slack-webhook-url', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('slack-webhook-url', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
