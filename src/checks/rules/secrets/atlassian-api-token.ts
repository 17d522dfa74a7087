import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Atlassian API token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('atlassian-api-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('atlassian-api-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
