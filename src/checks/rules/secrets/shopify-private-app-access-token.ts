import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Shopify private app access token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('shopify-private-app-access-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('shopify-private-app-access-token', input).map((r) => ({
      messageId: 'found' as const,
      ...r,
    })),
});
