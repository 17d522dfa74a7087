import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// MongoDB URL with a password: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('database-url-mongodb', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('database-url-mongodb', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
