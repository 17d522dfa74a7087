import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Sentry auth token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('sentry-auth-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('sentry-auth-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
