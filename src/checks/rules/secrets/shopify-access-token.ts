import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Shopify admin API access token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('shopify-access-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('shopify-access-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
