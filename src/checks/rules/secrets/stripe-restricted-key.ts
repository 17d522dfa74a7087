import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Stripe live restricted key: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('stripe-restricted-key', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('stripe-restricted-key', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
