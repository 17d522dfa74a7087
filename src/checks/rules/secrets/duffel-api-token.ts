import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Duffel live API token: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('duffel-api-token', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('duffel-api-token', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
