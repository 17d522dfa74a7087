import { defineRule } from '../../define-rule.js';
import { secretMeta, secretReports, type SecretInput } from '../../../secrets/index.js';

// Hard-coded password: the pattern, keywords and allow-list are data in src/secrets/rules/
export default defineRule({
  meta: secretMeta('generic-password', { found: '{{title}} found: {{match}}' }),
  check: (input: SecretInput) =>
    secretReports('generic-password', input).map((r) => ({ messageId: 'found' as const, ...r })),
});
