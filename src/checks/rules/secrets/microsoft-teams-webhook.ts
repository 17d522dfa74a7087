import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Microsoft Teams incoming webhook URL: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('microsoft-teams-webhook', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('microsoft-teams-webhook', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
