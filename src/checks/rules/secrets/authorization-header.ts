import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Credentials in an Authorization header: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('authorization-header', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('authorization-header', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
