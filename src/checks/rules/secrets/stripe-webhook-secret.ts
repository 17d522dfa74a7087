import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Stripe webhook signing secret: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('stripe-webhook-secret', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('stripe-webhook-secret', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
