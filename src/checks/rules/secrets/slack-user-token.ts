import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Slack user or workspace token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('slack-user-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('slack-user-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
