import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Sentry DSN: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('sentry-dsn', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('sentry-dsn', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
